#!/usr/bin/perl
# SPDX-License-Identifier: MIT
# The benchmark's `pass_persist` peer in Perl: snmpd starts it once,
#   pass_persist.pl TABLE_OID TABLE_FILE
# and writes requests to its standard input (PING, get, getnext, set).
# The table is a sorted list of cells, as such scripts usually keep it.
use strict;
use warnings;

my ($t, $spec) = @ARGV;
die "usage: pass_persist.pl TABLE_OID TABLE_FILE\n" unless $spec;
$t =~ s/^\.?/./;
my (@cells, %value);
open my $fh, '<', $spec or die "$spec: $!\n";
while (my $line = <$fh>) {
	chomp $line;
	next if $line =~ /^(#|$)/;
	my ($suffix, $type, $val) = split / /, $line, 3;
	my $oid = "$t.$suffix";
	push @cells, [ [ split /\./, substr($oid, 1) ], $oid ];
	$value{$oid} = "$oid\n$type\n" . ($val // '') . "\n";
}
close $fh;

sub oid_cmp {
	my ($a, $b) = @_;
	my $n = @$a < @$b ? @$a : @$b;
	for my $i (0 .. $n - 1) {
		return $a->[$i] <=> $b->[$i] if $a->[$i] != $b->[$i];
	}
	return @$a <=> @$b;
}

$| = 1;
while (defined(my $cmd = <STDIN>)) {
	chomp $cmd;
	if ($cmd eq 'PING') {
		print "PONG\n";
	} elsif ($cmd eq 'get') {
		chomp(my $oid = <STDIN> // '');
		$oid =~ s/^\.?/./;
		print $value{$oid} // "NONE\n";
	} elsif ($cmd eq 'getnext') {
		chomp(my $oid = <STDIN> // '');
		$oid =~ s/^\.//;
		my @want = split /\./, $oid;
		my $found;
		for my $c (@cells) {
			if (oid_cmp($c->[0], \@want) > 0) { $found = $c->[1]; last; }
		}
		print defined $found ? $value{$found} : "NONE\n";
	} elsif ($cmd eq 'set') {
		<STDIN>; <STDIN>;
		print "not-writable\n";
	} elsif ($cmd eq '') {
		last;
	} else {
		print "NONE\n";
	}
}
