package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker/Dockerfile parsed the way the Dockerfile reference describes it, far enough for checks:
 * comments and parser directives dropped, line continuations joined, global ARG defaults put into
 * FROM, instructions grouped by stage, a stage's settings inherited from the stage it is built FROM.
 */
final class DockerfileModel {
    static final Path FILE = ComposeFile.ROOT.resolve("docker/Dockerfile");
    private static final Pattern FROM = Pattern.compile("^(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern ARG_REF = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");

    record Instruction(String keyword, String args) {
    }

    /** A COPY: {@code from} is the stage it copies from, or null for the build context. */
    record Copy(String from, List<String> sources, String destination) {
    }

    record Stage(String name, String from, List<Instruction> instructions) {
    }

    final Map<String, Stage> stages = new LinkedHashMap<>();
    final Map<String, String> globalArgs = new LinkedHashMap<>();

    static DockerfileModel read() {
        try {
            return parse(Files.readAllLines(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DockerfileModel parse(List<String> lines) {
        DockerfileModel m = new DockerfileModel();
        List<String> logical = new ArrayList<>();
        StringBuilder current = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current == null)) continue; // comments, directives, blank
            if (line.isEmpty()) continue;
            if (current == null) current = new StringBuilder();
            else current.append(' ');
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            logical.add(current.toString().replaceAll("\\s+", " ").strip());
            current = null;
        }
        List<Instruction> stage = null;
        for (String l : logical) {
            int space = l.indexOf(' ');
            String keyword = (space < 0 ? l : l.substring(0, space)).toUpperCase(Locale.ROOT);
            String args = space < 0 ? "" : l.substring(space + 1).strip();
            if (keyword.equals("ARG") && stage == null) {
                String[] kv = args.split("=", 2);
                m.globalArgs.put(kv[0], kv.length > 1 ? kv[1] : "");
                continue;
            }
            if (keyword.equals("FROM")) {
                Matcher f = FROM.matcher(args);
                if (!f.matches()) throw new IllegalArgumentException("FROM " + args);
                String image = ARG_REF.matcher(f.group(1)).replaceAll(r -> Matcher.quoteReplacement(m.globalArgs.getOrDefault(r.group(1), r.group())));
                stage = new ArrayList<>();
                String name = f.group(2) == null ? "#" + m.stages.size() : f.group(2);
                m.stages.put(name, new Stage(name, image, stage));
                continue;
            }
            if (stage == null) throw new IllegalArgumentException(keyword + " before the first FROM");
            stage.add(new Instruction(keyword, args));
        }
        return m;
    }

    Stage stage(String name) {
        Stage s = stages.get(name);
        if (s == null) throw new AssertionError("no stage " + name + " in " + FILE + " (stages: " + stages.keySet() + ")");
        return s;
    }

    /** The stages {@code name} is built from, itself first, down to an image that is no stage. */
    List<Stage> chain(String name) {
        List<Stage> chain = new ArrayList<>();
        for (Stage s = stage(name); s != null; s = stages.get(s.from())) chain.add(s);
        return chain;
    }

    /** The image at the bottom of {@code name}'s chain. */
    String baseImage(String name) {
        List<Stage> chain = chain(name);
        return chain.get(chain.size() - 1).from();
    }

    /** The last {@code keyword} instruction in effect for {@code stage} (its own, else its base stage's), or null. */
    Instruction effective(String stage, String keyword) {
        for (Stage s : chain(stage)) {
            List<Instruction> own = s.instructions().stream().filter(i -> i.keyword().equals(keyword)).toList();
            if (!own.isEmpty()) return own.get(own.size() - 1);
        }
        return null;
    }

    List<Instruction> all(String stage, String keyword) {
        List<Instruction> list = new ArrayList<>();
        for (Stage s : chain(stage)) s.instructions().stream().filter(i -> i.keyword().equals(keyword)).forEach(list::add);
        return list;
    }

    /** The COPY instructions in effect for {@code stage}: its own and its base stages'. */
    List<Copy> copies(String stage) {
        List<Copy> copies = new ArrayList<>();
        for (Stage s : chain(stage)) copies.addAll(copies(s));
        return copies;
    }

    /** A stage's own COPY instructions. */
    static List<Copy> copies(Stage s) {
        List<Copy> copies = new ArrayList<>();
        for (Instruction i : s.instructions()) {
            if (!i.keyword().equals("COPY")) continue;
            List<String> words = new ArrayList<>(List.of(i.args().split(" ")));
            String from = null;
            while (!words.isEmpty() && words.get(0).startsWith("--")) {
                String flag = words.remove(0);
                if (flag.startsWith("--from=")) from = flag.substring("--from=".length());
            }
            String dest = words.remove(words.size() - 1);
            copies.add(new Copy(from, words, dest));
        }
        return copies;
    }

    /** An exec-form (JSON array) instruction's words. */
    static List<String> execForm(Instruction i) {
        try {
            JsonNode array = CloudApi.JSON.readTree(i.args());
            if (!array.isArray()) throw new AssertionError(i.keyword() + " is not in exec form: " + i.args());
            List<String> words = new ArrayList<>();
            array.forEach(w -> words.add(w.asText()));
            return words;
        } catch (IOException e) {
            throw new AssertionError(i.keyword() + " is not in exec form: " + i.args(), e);
        }
    }

    /**
     * The repository file a path inside {@code stage}'s image comes from, through a COPY from the build
     * context; null when no such COPY puts it there.
     */
    Path sourceOf(String stage, String imagePath) {
        for (Copy c : copies(stage)) {
            if (c.from() != null || c.sources().size() != 1) continue;
            String src = c.sources().get(0);
            if (c.destination().endsWith("/") && imagePath.startsWith(c.destination())) {
                Path p = ComposeFile.ROOT.resolve(src).resolve(imagePath.substring(c.destination().length()));
                if (src.endsWith("/") && Files.exists(p)) return p;
            } else if (imagePath.equals(c.destination())) {
                return ComposeFile.ROOT.resolve(src);
            }
        }
        return null;
    }
}
