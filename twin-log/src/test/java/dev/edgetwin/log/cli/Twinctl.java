package dev.edgetwin.log.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.model.JsonValues;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs twinctl in this JVM as bin/twinctl would, capturing stdout, stderr and the exit code. */
final class Twinctl {
    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }

        List<JsonNode> json() {
            List<JsonNode> out = new ArrayList<>();
            for (String l : lines()) out.add(JsonValues.parse(l));
            return out;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Twinctl() {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = TwinctlMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }
}
