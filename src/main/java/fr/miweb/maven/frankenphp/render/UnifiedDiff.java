package fr.miweb.maven.frankenphp.render;

import java.util.ArrayList;
import java.util.List;

/** A small line-based unified diff, enough to show a user what drifted in a generated file. */
final class UnifiedDiff {

    private static final int CONTEXT = 2;
    /** Beyond this many lines the quadratic table is not worth it; show the whole files instead. */
    private static final int MAX_LINES = 4000;

    private UnifiedDiff() {
    }

    static String diff(String fromName, String from, String toName, String to) {
        List<String> a = from.lines().toList();
        List<String> b = to.lines().toList();
        StringBuilder out = new StringBuilder("--- ").append(fromName).append('\n')
                .append("+++ ").append(toName).append('\n');
        if (a.size() > MAX_LINES || b.size() > MAX_LINES) {
            a.forEach(line -> out.append('-').append(line).append('\n'));
            b.forEach(line -> out.append('+').append(line).append('\n'));
            return out.toString();
        }
        List<String> edits = edits(a, b);
        // Print changed lines with a little context; elide long runs of unchanged lines.
        for (int i = 0; i < edits.size(); i++) {
            String edit = edits.get(i);
            if (edit.charAt(0) != ' ' || nearChange(edits, i)) {
                out.append(edit).append('\n');
            } else if (i > 0 && nearChange(edits, i - 1)) {
                out.append("@@ ... @@\n");
            }
        }
        return out.toString();
    }

    private static boolean nearChange(List<String> edits, int index) {
        for (int j = Math.max(0, index - CONTEXT); j <= Math.min(edits.size() - 1, index + CONTEXT); j++) {
            if (edits.get(j).charAt(0) != ' ') {
                return true;
            }
        }
        return false;
    }

    /** Longest-common-subsequence edit script: lines prefixed with ' ', '-' or '+'. */
    private static List<String> edits(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            if (a.get(i).equals(b.get(j))) {
                edits.add(" " + a.get(i++));
                j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                edits.add("-" + a.get(i++));
            } else {
                edits.add("+" + b.get(j++));
            }
        }
        while (i < a.size()) {
            edits.add("-" + a.get(i++));
        }
        while (j < b.size()) {
            edits.add("+" + b.get(j++));
        }
        return edits;
    }
}
