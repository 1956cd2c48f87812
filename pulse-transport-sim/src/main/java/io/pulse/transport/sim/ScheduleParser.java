package io.pulse.transport.sim;

import java.util.ArrayList;
import java.util.List;

/** Reads the fault schedule's text format (see {@link Schedule}); every error names its line and column. */
final class ScheduleParser {

    private record Token(String text, int line, int column) {
    }

    private final String source;
    private List<Token> tokens;
    private int pos;
    private int endLine;
    private int endColumn;

    ScheduleParser(String source) {
        this.source = source;
    }

    List<Fault> parse() {
        List<Fault> out = new ArrayList<>();
        String[] lines = source.split("\r?\n", -1);
        for (int ln = 0; ln < lines.length; ln++) {
            String line = lines[ln];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            int start = 0;
            while (start <= line.length()) {
                int semi = line.indexOf(';', start);
                int end = semi < 0 ? line.length() : semi;
                tokenize(line, ln + 1, start, end);
                if (!tokens.isEmpty()) {
                    out.add(statement());
                }
                start = end + 1;
            }
        }
        return out;
    }

    private void tokenize(String line, int lineNo, int from, int to) {
        tokens = new ArrayList<>();
        pos = 0;
        endLine = lineNo;
        endColumn = to + 1;
        int i = from;
        while (i < to) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '|') {
                tokens.add(new Token("|", lineNo, i + 1));
                i++;
            } else {
                int j = i;
                while (j < to && !Character.isWhitespace(line.charAt(j)) && line.charAt(j) != '|') {
                    j++;
                }
                tokens.add(new Token(line.substring(i, j), lineNo, i + 1));
                i = j;
            }
        }
    }

    private Fault statement() {
        expectWord("at", "a statement starting with 'at TIME'");
        long at = duration("a time such as 30s");
        Token kind = next("a fault: crash, restart, pause, slow, leave, partition, block, loss, duplicate, "
                + "reorder or latency");
        Fault f;
        try {
            f = switch (kind.text()) {
                case "crash" -> new Fault.Crash(at, node());
                case "restart" -> {
                    int node = node();
                    int via = node == 0 ? 1 : 0;
                    if (peekIs("via")) {
                        pos++;
                        via = node();
                    }
                    yield new Fault.Restart(at, node, via);
                }
                case "pause" -> {
                    int node = node();
                    expectWord("for", "'for DURATION' (a pause must end; use crash for ever)");
                    yield new Fault.Pause(at, node, duration("a duration such as 5s"));
                }
                case "slow" -> {
                    int node = node();
                    double factor = factor();
                    yield new Fault.Slow(at, node, factor, optionalFor());
                }
                case "leave" -> new Fault.Leave(at, node());
                case "partition" -> {
                    List<List<Integer>> groups = new ArrayList<>();
                    groups.add(nodeSet());
                    while (peekIs("|")) {
                        pos++;
                        groups.add(nodeSet());
                    }
                    yield new Fault.Partition(at, groups, optionalFor());
                }
                case "block" -> {
                    int from = node();
                    Token arrow = next("'->' (one direction) or '<->' (both)");
                    boolean both;
                    if (arrow.text().equals("->")) {
                        both = false;
                    } else if (arrow.text().equals("<->")) {
                        both = true;
                    } else {
                        throw error(arrow, "expected '->' (one direction) or '<->' (both), found '" + arrow.text()
                                + "'");
                    }
                    int to = node();
                    yield new Fault.Block(at, from, to, both, optionalFor());
                }
                case "loss" -> new Fault.Loss(at, probability());
                case "duplicate" -> new Fault.Duplicate(at, probability());
                case "reorder" -> {
                    double p = probability();
                    expectWord("within", "'within DURATION' (the largest hold-back delay)");
                    yield new Fault.Reorder(at, p, duration("a duration such as 10ms"));
                }
                case "latency" -> {
                    Token t = next("a latency distribution such as lognormal:2ms/50ms");
                    try {
                        yield new Fault.LatencyChange(at, Latency.parse(t.text()));
                    } catch (IllegalArgumentException e) {
                        throw error(t, e.getMessage());
                    }
                }
                default -> throw error(kind, "expected a fault: crash, restart, pause, slow, leave, partition, "
                        + "block, loss, duplicate, reorder or latency, found '" + kind.text() + "'");
            };
        } catch (ScheduleSyntaxException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw error(kind, e.getMessage());
        }
        if (pos < tokens.size()) {
            Token extra = tokens.get(pos);
            throw error(extra, "expected the end of the statement (or ';'), found '" + extra.text() + "'");
        }
        return f;
    }

    private long optionalFor() {
        if (peekIs("for")) {
            pos++;
            return duration("a duration such as 20s");
        }
        return Fault.FOREVER;
    }

    private boolean peekIs(String word) {
        return pos < tokens.size() && tokens.get(pos).text().equals(word);
    }

    private Token next(String expected) {
        if (pos >= tokens.size()) {
            throw new ScheduleSyntaxException(endLine, endColumn, "expected " + expected
                    + ", found the end of the statement");
        }
        return tokens.get(pos++);
    }

    private void expectWord(String word, String expected) {
        Token t = next(expected);
        if (!t.text().equals(word)) {
            throw error(t, "expected " + expected + ", found '" + t.text() + "'");
        }
    }

    private long duration(String expected) {
        Token t = next(expected);
        try {
            return Durations.parse(t.text());
        } catch (IllegalArgumentException e) {
            throw error(t, "expected " + expected + " (units ns, us, ms, s, m, h), found '" + t.text() + "'");
        }
    }

    private int node() {
        Token t = next("a node number");
        try {
            int n = Integer.parseInt(t.text());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw error(t, "expected a node number (0, 1, 2...), found '" + t.text() + "'");
        }
    }

    private double factor() {
        Token t = next("a slow factor such as x10");
        try {
            if (!t.text().startsWith("x")) {
                throw new NumberFormatException();
            }
            return Double.parseDouble(t.text().substring(1));
        } catch (NumberFormatException e) {
            throw error(t, "expected a slow factor such as x10 or x2.5, found '" + t.text() + "'");
        }
    }

    private double probability() {
        Token t = next("a probability such as 0.05");
        try {
            double p = Double.parseDouble(t.text());
            if (!(p >= 0 && p < 1)) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw error(t, "expected a probability in [0, 1) such as 0.05, found '" + t.text() + "'");
        }
    }

    private List<Integer> nodeSet() {
        Token t = next("a node set such as 0-49 or 1,3,5-9");
        List<Integer> out = new ArrayList<>();
        try {
            for (String part : t.text().split(",", -1)) {
                int dash = part.indexOf('-');
                int lo = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                int hi = dash < 0 ? lo : Integer.parseInt(part.substring(dash + 1));
                if (lo < 0 || hi < lo || hi - lo > 1 << 20) {
                    throw new NumberFormatException();
                }
                for (int i = lo; i <= hi; i++) {
                    out.add(i);
                }
            }
        } catch (NumberFormatException e) {
            throw error(t, "expected a node set such as 0-49 or 1,3,5-9, found '" + t.text() + "'");
        }
        return out;
    }

    private static ScheduleSyntaxException error(Token t, String problem) {
        return new ScheduleSyntaxException(t.line(), t.column(), problem);
    }
}
