#!/usr/bin/perl
# SPDX-License-Identifier: MIT
# The benchmark's report: reads the load generator's lines (raw.jsonl)
# and the daemons' figures (extra.jsonl), prints one table and writes the
# same figures as JSON.
#
#   report.pl RAW.jsonl EXTRA.jsonl RESULTS.json
#
# Every ratio is taken within one round (the native floor measured at the
# start and the end of that round, the AgentX floor in the same round),
# and the figure shown is the median of those ratios over the rounds.
# Ratios are of time: above 1 is slower than the floor.
use strict;
use warnings;
use JSON::PP;

my ($raw_file, $extra_file, $out_file) = @ARGV;
die "usage: report.pl RAW EXTRA OUT\n" unless $out_file;
my $json = JSON::PP->new->canonical->pretty;

sub lines {
	my ($f) = @_;
	open my $fh, '<', $f or return ();
	my @r;
	while (<$fh>) {
		next unless /\S/;
		my $o = eval { decode_json($_) };
		push @r, $o if $o;
	}
	return @r;
}

sub median {
	my @v = sort { $a <=> $b } grep { defined } @_;
	return undef unless @v;
	return @v % 2 ? $v[$#v / 2] : ($v[@v / 2 - 1] + $v[@v / 2]) / 2;
}

# The time figure each operation is compared on.
my %metric = (
	get  => 'p50_us',          # one GET, median latency
	walk => 'us_per_cell_p50', # median walk time / cells
	bulk => 'us_per_cell_p50', # median GETBULK time / cells
	get2 => 'us_per_request',  # 2 clients: wall time / requests
);
my @ops = qw(get walk bulk get2);
my @order = qw(native agentx hostpmd dlmod perl sh pass extend);
my %label = (
	native  => 'snmpd itself (override)',
	agentx  => 'minimal AgentX subagent',
	hostpmd => 'hostpmd',
	dlmod   => 'hostpm dlmod',
	perl    => 'pass_persist, Perl',
	sh      => 'pass_persist, shell',
	pass    => 'pass (fork per request)',
	extend  => 'extend (nsExtendOutLine)',
);

my @raw = lines($raw_file);
my %by;    # {round}{op}{exporter} = [records]
my %seen;
for my $r (@raw) {
	next if $r->{failed};
	push @{ $by{ $r->{round} }{ $r->{op} }{ $r->{exporter} } }, $r;
	$seen{ $r->{exporter} } = 1;
}

my @results;
for my $ex (grep { $seen{$_} } @order) {
	for my $op (@ops) {
		my $m = $metric{$op};
		my (@xn, @xa, @ops_s, @p50, @p99, @mv, $errors, $n);
		for my $round (sort { $a <=> $b } keys %by) {
			my $h = $by{$round}{$op} or next;
			my @nat = @{ $h->{native} || [] };
			next unless @nat;
			my $floor = 0;
			$floor += $_->{$m} for @nat;
			$floor /= @nat;
			my $ag = $h->{agentx} ? median(map { $_->{$m} } @{ $h->{agentx} }) : undef;
			for my $rec (@{ $h->{$ex} || [] }) {
				push @xn, $rec->{$m} / $floor if $floor > 0;
				push @xa, $rec->{$m} / $ag if $ag;
				push @ops_s, $rec->{ops_per_s};
				push @p50, $rec->{p50_us};
				push @p99, $rec->{p99_us};
				push @mv, $rec->{$m};
				$errors += $rec->{errors} // 0;
				$n += $rec->{n} // 0;
			}
		}
		next unless @mv;
		push @results, {
			exporter => $ex, op => $op,
			ops_per_s => median(@ops_s), p50_us => median(@p50),
			p99_us => median(@p99), compared_on => $m,
			compared_value => median(@mv),
			x_native => median(@xn), x_agentx => median(@xa),
			errors => $errors, requests_or_ops => $n,
			rounds => scalar @mv,
		};
	}
}

my %extra;
for my $e (lines($extra_file)) {
	$extra{ $e->{exporter} }{ $e->{key} } = $e->{value};
}

sub fmt {
	my ($v, $f) = @_;
	return '-' unless defined $v;
	return sprintf($f, $v);
}

my $env = \%ENV;
print "\n";
printf "hostpm benchmark: %s\n", $env->{BENCH_MACHINE} // '?';
printf "command: %s; %s rounds, %s s per measurement; snmpd, exporters and latency client pinned to CPU %s, 2-client test on CPU %s\n",
    $env->{BENCH_CMD} // '?', $env->{BENCH_ROUNDS} // '?', $env->{BENCH_SECS} // '?',
    $env->{BENCH_PIN} // '?', $env->{BENCH_CLIENT_PIN} // '?';
my $cells = $env->{BENCH_CELLS} // '?';
print "table: $cells cells (hostpmd's, mirrored by every exporter). ops/s: requests (get, cycling over the cells), walks (walk: a GETNEXT per cell\n";
print "and one for the fence), GETBULKs (bulk: every cell and the fence), requests of both clients together (get2).\n";
print "p50/p99: latency of one op in us. us/cell: p50 / cells (walk, bulk), wall time / requests (get2).\n";
print "x native, x agentx: median over rounds of the time ratio to snmpd's own objects and to the minimal AgentX subagent in the same round.\n\n";
my $hdr = sprintf "%-26s %-5s %10s %10s %10s %9s %9s %9s %6s\n",
    'exporter', 'op', 'ops/s', 'p50 us', 'p99 us', 'us/cell', 'x native', 'x agentx', 'errors';
print $hdr, '-' x (length($hdr) - 1), "\n";
for my $r (@results) {
	printf "%-26s %-5s %10s %10s %10s %9s %9s %9s %6s\n",
	    $label{ $r->{exporter} }, $r->{op}, fmt($r->{ops_per_s}, '%.0f'),
	    fmt($r->{p50_us}, '%.1f'), fmt($r->{p99_us}, '%.1f'),
	    $r->{op} eq 'get' ? '-' : fmt($r->{compared_value}, '%.1f'),
	    fmt($r->{x_native}, '%.2f'), fmt($r->{x_agentx}, '%.2f'),
	    $r->{errors} // 0;
}

print "\nThe subagents themselves:\n";
my @who = grep { $extra{$_} } qw(hostpmd dlmod agentx ping1 ping60 snmpd);
my %wlabel = (hostpmd => 'hostpmd', dlmod => 'snmpd + hostpm.so',
	      agentx => 'minimal (ping 15 s)',
	      ping1 => 'minimal, ping 1 s', ping60 => 'minimal, ping 60 s',
	      snmpd => 'snmpd');
my @rows = (
	[ first_answer_ms => 'time from start to first answer through snmpd, ms (median)', '%.1f' ],
	[ snmpd_own_first_answer_ms => 'time from start to snmpd\'s own first answer, ms (median)', '%.1f' ],
	[ snmpd_without_module_rss_kb => 'RSS of the same snmpd without the module, kB', '%d' ],
	[ snmpd_with_module_rss_kb => 'RSS of that snmpd with the module, kB', '%d' ],
	[ peak_rss_kb => 'peak RSS (VmHWM), kB', '%d' ],
	[ rss_before_kb => 'RSS before the flat run, kB', '%d' ],
	[ rss_after_kb => 'RSS after the flat run, kB', '%d' ],
	[ flat_requests => 'requests in the flat run', '%d' ],
	[ cpu_s_per_10k => 'CPU seconds per 10,000 GETs (the subagent)', '%.3f' ],
	[ snmpd_cpu_s_per_10k => 'CPU seconds per 10,000 GETs (snmpd, same run)', '%.3f' ],
	[ idle_voluntary_switches_per_min => 'voluntary context switches per minute at idle (hostpmd: its defaults)', '%.1f' ],
	[ request_path_syscalls_per_get => 'system calls per GET (strace -c)', '%.2f' ],
	[ request_path_forks_per_2000_gets => 'forks and execs during 2000 GETs', '%d' ],
	[ request_path_opens_per_2000_gets => 'files opened during 2000 GETs (but snmpd\'s own)', '%d' ],
	[ request_path_libwrap_opens_per_2000_gets => 'snmpd\'s own: hosts.allow/deny, /proc/net', '%d' ],
);
printf "  %-62s %s\n", '', join(' ', map { sprintf '%20s', $wlabel{$_} } @who);
for my $row (@rows) {
	my ($k, $text, $f) = @$row;
	next unless grep { defined $extra{$_}{$k} } @who;
	printf "  %-62s %s\n", $text,
	    join(' ', map { sprintf '%20s', fmt($extra{$_}{$k}, $f) } @who);
}
my @probes = sort grep { /^probe:/ } keys %extra;
if (@probes) {
	print "\nOne probe, per source (probe_run_source() in a loop, no process start-up):\n";
	for my $p (@probes) {
		my $e = $extra{$p};
		printf "  %-22s p50 %10s us  p99 %10s us  %s\n", substr($p, 6),
		    fmt($e->{us_p50}, '%.1f'), fmt($e->{us_p99}, '%.1f'),
		    defined $e->{processes_per_probe}
		    ? ($e->{processes_per_probe} ? "forks: $e->{processes_per_probe} processes per probe" : 'no fork')
		    : '';
	}
}

# hostpmd against the issue's targets (a report, not a verdict).
my %res = map { ("$_->{exporter}/$_->{op}" => $_) } @results;
my @targets;
if ($res{'hostpmd/get'}) {
	for my $op (@ops) {
		my $h = $res{"hostpmd/$op"} or next;
		push @targets, [ "$op vs the AgentX floor (<= 1.10x)", $h->{x_agentx}, 1.10, '<=' ];
	}
	for my $op (qw(walk bulk)) {
		my $h = $res{"hostpmd/$op"} or next;
		for my $peer (qw(perl sh pass)) {
			my $p = $res{"$peer/$op"} or next;
			next unless $h->{x_native} && $p->{x_native};
			push @targets, [ "$op per cell faster than $peer (< 1x)", $h->{x_native} / $p->{x_native}, 1, '<' ];
		}
	}
	for my $op (@ops) {
		my ($h, $p) = ($res{"hostpmd/$op"}, $res{"pass/$op"});
		next unless $h && $p && $h->{x_native} && $p->{x_native};
		push @targets, [ "$op 50x faster than pass (ratio <= 0.02)", $h->{x_native} / $p->{x_native}, 0.02, '<=' ];
	}
	my ($h, $a) = ($extra{hostpmd}, $extra{agentx});
	if ($h && $a) {
		push @targets, [ 'peak RSS vs minimal subagent (<= 1.25x)', $h->{peak_rss_kb} / $a->{peak_rss_kb}, 1.25, '<=' ]
		    if $h->{peak_rss_kb} && $a->{peak_rss_kb};
		push @targets, [ 'RSS growth over the flat run, kB (flat: <= 0)', $h->{rss_after_kb} - $h->{rss_before_kb}, 0, '<=' ]
		    if defined $h->{rss_after_kb} && defined $h->{rss_before_kb};
		push @targets, [ 'time to first answer vs minimal (<= 1.5x)', $h->{first_answer_ms} / $a->{first_answer_ms}, 1.5, '<=' ]
		    if $h->{first_answer_ms} && $a->{first_answer_ms};
		push @targets, [ 'idle voluntary switches per minute, defaults (<= 10)', $h->{idle_voluntary_switches_per_min}, 10, '<=' ]
		    if defined $h->{idle_voluntary_switches_per_min};
		push @targets, [ 'forks on the request path (0)', $h->{request_path_forks_per_2000_gets}, 0, '<=' ]
		    if defined $h->{request_path_forks_per_2000_gets};
		push @targets, [ 'files opened on the request path (0)', $h->{request_path_opens_per_2000_gets}, 0, '<=' ]
		    if defined $h->{request_path_opens_per_2000_gets};
	}
	my $s = $extra{'probe:sysfs'};
	push @targets, [ 'sysfs probe, us (< 100)', $s->{us_p50}, 100, '<' ] if $s && defined $s->{us_p50};
	push @targets, [ 'sysfs probe, processes started (0)', $s->{processes_per_probe}, 0, '<=' ]
	    if $s && defined $s->{processes_per_probe};
}
# hostpm.so against its targets: native speed, little memory, no growth,
# the table soon after snmpd's own objects, nothing forked or opened.
if ($res{'dlmod/get'}) {
	for my $op (@ops) {
		my $d = $res{"dlmod/$op"} or next;
		push @targets, [ "dlmod $op vs snmpd's own objects (<= 1.10x)", $d->{x_native}, 1.10, '<=' ];
	}
	my $d = $extra{dlmod};
	if ($d) {
		push @targets, [ 'dlmod: snmpd RSS with it minus without, kB (<= 512)', $d->{snmpd_with_module_rss_kb} - $d->{snmpd_without_module_rss_kb}, 512, '<=' ]
		    if $d->{snmpd_with_module_rss_kb} && $d->{snmpd_without_module_rss_kb};
		push @targets, [ 'dlmod: RSS growth over the flat run, kB (<= 0)', $d->{rss_after_kb} - $d->{rss_before_kb}, 0, '<=' ]
		    if defined $d->{rss_after_kb} && defined $d->{rss_before_kb};
		push @targets, [ "dlmod: table's first answer after snmpd's own, ms (<= 10)", $d->{first_answer_ms} - $d->{snmpd_own_first_answer_ms}, 10, '<=' ]
		    if defined $d->{first_answer_ms} && defined $d->{snmpd_own_first_answer_ms};
		push @targets, [ 'dlmod: forks on the request path (0)', $d->{request_path_forks_per_2000_gets}, 0, '<=' ]
		    if defined $d->{request_path_forks_per_2000_gets};
		push @targets, [ 'dlmod: files opened on the request path (0)', $d->{request_path_opens_per_2000_gets}, 0, '<=' ]
		    if defined $d->{request_path_opens_per_2000_gets};
	}
}
my @target_out;
if (@targets) {
	print "\nhostpmd against the issue's targets (this run):\n";
	for my $t (@targets) {
		my ($text, $v, $limit, $cmp) = @$t;
		my $ok = defined $v && ($cmp eq '<' ? $v < $limit : $v <= $limit);
		printf "  %-50s %10s  %s\n", $text, fmt($v, '%.3f'), $ok ? 'meets' : 'MISSES';
		push @target_out, { target => $text, value => $v, limit => $limit, meets => $ok ? JSON::PP::true : JSON::PP::false };
	}
} else {
	print "\nhostpmd was not measured: no target is checked.\n";
}

my $doc = {
	machine => $env->{BENCH_MACHINE}, command => $env->{BENCH_CMD},
	pinned_cpus => $env->{BENCH_PIN}, client_cpus => $env->{BENCH_CLIENT_PIN},
	rounds => $env->{BENCH_ROUNDS} + 0, seconds_per_measurement => $env->{BENCH_SECS} + 0,
	idle_seconds => $env->{BENCH_IDLE_S} + 0,
	ratios => 'time ratios, median over rounds; above 1 is slower than the floor',
	results => \@results, daemons => \%extra, targets => \@target_out,
	raw => \@raw,
};
open my $fh, '>', $out_file or die "$out_file: $!\n";
print $fh $json->encode($doc);
close $fh;
print "\n";
