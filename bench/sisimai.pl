#!/usr/bin/env perl
# Runs Sisimai (Debian's libsisimai-perl) over bounce files, for the
# side-by-side figures in BENCHMARKS.md.
#
#   sisimai.pl FILE...              one JSON-ish line per file, like `diagnoza identify FILE...`
#   sisimai.pl --loop N FILE...     parse every file N times in this process and
#                                   print messages per second (start-up excluded)
use strict;
use warnings;
use Sisimai;
use Time::HiRes qw(time);

my $loops = 0;
if (@ARGV && $ARGV[0] eq '--loop') { shift @ARGV; $loops = shift @ARGV; }
my @files = @ARGV;

sub parse {
    my $file = shift;
    # Sisimai->make reads a mailbox or a single message from a path.
    my $data = Sisimai->make($file, 'input' => 'email') || [];
    return $data;
}

if ($loops) {
    my ($messages, $records) = (0, 0);
    my $t0 = time;
    for (1 .. $loops) {
        for my $f (@files) {
            my $data = parse($f);
            $messages++;
            $records += scalar @$data;
        }
    }
    my $elapsed = time - $t0;
    printf "sisimai in-process: %d files x %d = %d parses in %.3f s: %.1f messages/s (%d records)\n",
        scalar @files, $loops, $messages, $elapsed, $messages / $elapsed, $records;
    exit 0;
}

for my $f (@files) {
    my $data = parse($f);
    my @out = map { sprintf('{"recipient":"%s","reason":"%s","status":"%s"}', $_->recipient->address, $_->reason, $_->deliverystatus) } @$data;
    print '{"file":"', $f, '","findings":[', join(',', @out), "]}\n";
}
