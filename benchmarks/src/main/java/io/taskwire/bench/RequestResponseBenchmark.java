package io.taskwire.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Comparison 1: throughput at 1, 16 and 64 in flight, then latency at half of each one's peak. */
final class RequestResponseBenchmark {

    static final int[] IN_FLIGHT = {1, 16, 64};
    static final double[] PERCENTILES = {50, 99, 99.9};

    private final Settings settings;
    private final List<Candidate> candidates;
    private final Map<Candidate, List<List<Double>>> throughput = new LinkedHashMap<>();
    private final Map<Candidate, List<List<Double>>> latency = new LinkedHashMap<>();
    private final Map<Candidate, List<List<Double>>> latencyAtBaselineRate = new LinkedHashMap<>();
    private final Map<Candidate, Double> peak = new LinkedHashMap<>();

    RequestResponseBenchmark(Settings settings, List<Candidate> candidates) {
        this.settings = settings;
        this.candidates = candidates;
        for (Candidate candidate : candidates) {
            throughput.put(candidate, lists(IN_FLIGHT.length));
            latency.put(candidate, lists(PERCENTILES.length));
            latencyAtBaselineRate.put(candidate, lists(PERCENTILES.length));
        }
    }

    RequestResponseReport run() {
        for (Candidate candidate : candidates) {
            log("warming up " + candidate.name());
            LoadGenerator.closedLoop(candidate, 16, settings.warmUp());
        }
        for (int round = 0; round < settings.rounds(); round++) {
            for (Candidate candidate : inTurn(round)) {
                measureThroughput(candidate, round);
            }
        }
        for (Candidate candidate : candidates) {
            peak.put(candidate, throughput.get(candidate).stream()
                    .mapToDouble(rounds -> Stats.of(rounds).median()).max().orElseThrow());
        }
        for (int round = 0; round < settings.rounds(); round++) {
            for (Candidate candidate : inTurn(round)) {
                measureLatency(candidate, round, peak.get(candidate) / 2, latency);
            }
        }
        double baselineRate = baselineRate();
        for (int round = 0; round < settings.rounds(); round++) {
            for (Candidate candidate : inTurn(round)) {
                measureLatency(candidate, round, baselineRate, latencyAtBaselineRate);
            }
        }
        return new RequestResponseReport(candidates, throughput, latency, latencyAtBaselineRate, peak);
    }

    /** @return half the Spring MVC baseline's peak: one rate every candidate can hold */
    double baselineRate() {
        return peak.get(candidates.get(1)) / 2;
    }

    private void measureThroughput(Candidate candidate, int round) {
        for (int i = 0; i < IN_FLIGHT.length; i++) {
            double rate = LoadGenerator.closedLoop(candidate, IN_FLIGHT[i], settings.throughputWindow());
            throughput.get(candidate).get(i).add(rate);
            log(String.format("round %d %s: %d in flight %,.0f/s", round + 1, candidate.name(), IN_FLIGHT[i], rate));
        }
    }

    private void measureLatency(Candidate candidate, int round, double rate,
                                Map<Candidate, List<List<Double>>> into) {
        Histogram histogram = LoadGenerator.openLoop(candidate, rate, settings.latencyWindow());
        for (int i = 0; i < PERCENTILES.length; i++) {
            into.get(candidate).get(i).add(histogram.getValueAtPercentile(PERCENTILES[i]) / 1_000.0);
        }
        log(String.format("round %d %s: %,.0f/s p50 %,d µs p99 %,d µs (%,d calls)", round + 1, candidate.name(),
                rate, histogram.getValueAtPercentile(50) / 1_000, histogram.getValueAtPercentile(99) / 1_000,
                histogram.getTotalCount()));
    }

    /** @return the candidates, starting one further each round, so none always runs first */
    private List<Candidate> inTurn(int round) {
        List<Candidate> order = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            order.add(candidates.get((i + round) % candidates.size()));
        }
        return order;
    }

    private static List<List<Double>> lists(int count) {
        List<List<Double>> lists = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lists.add(new ArrayList<>());
        }
        return lists;
    }

    static void log(String line) {
        Progress.log("request-response", "%s", line);
    }
}
