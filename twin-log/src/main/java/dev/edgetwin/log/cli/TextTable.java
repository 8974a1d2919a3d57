package dev.edgetwin.log.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A plain-text table for terminals: a header row, columns as wide as their widest cell (cells
 * clipped at {@link #MAX_CELL} characters with an ellipsis), separated by two spaces, chosen
 * columns right-aligned (numbers). Rows are kept until {@link #print}.
 */
final class TextTable {
    static final int MAX_CELL = 80;

    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();
    private final Set<Integer> right = new HashSet<>();

    TextTable(String... headers) {
        this.headers = headers;
    }

    /** Right-aligns the given columns (0-based). */
    TextTable alignRight(int... columns) {
        for (int c : columns) right.add(c);
        return this;
    }

    TextTable row(Object... cells) {
        if (cells.length != headers.length) throw new IllegalArgumentException(cells.length + " cells for " + headers.length + " columns");
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) r[i] = cell(cells[i]);
        rows.add(r);
        return this;
    }

    int size() {
        return rows.size();
    }

    void print(PrintWriter out) {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) width[i] = headers[i].length();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        }
        line(out, headers, width);
        for (String[] r : rows) line(out, r, width);
        out.flush();
    }

    private void line(PrintWriter out, String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) sb.append("  ");
            String c = cells[i];
            boolean last = i == cells.length - 1;
            if (right.contains(i)) sb.append(" ".repeat(width[i] - c.length())).append(c);
            else sb.append(c).append(last ? "" : " ".repeat(width[i] - c.length()));
        }
        out.println(sb.toString().stripTrailing());
    }

    private static String cell(Object o) {
        String s = o == null ? "" : o.toString().replace('\n', ' ').replace('\r', ' ');
        return s.length() <= MAX_CELL ? s : s.substring(0, MAX_CELL - 1) + "…";
    }
}
