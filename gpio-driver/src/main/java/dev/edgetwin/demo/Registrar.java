package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Registers the topology's devices at the cloud with {@code PUT /api/v1/devices/{name}}, idempotently:
 * a device already registered with the same node, model, attributes and properties is left alone,
 * because a PUT replaces the registration and clears its desired values (a restarted demo keeps the
 * lamp as it was left). Used by {@code bin/twin-demo} and by the compose file's one-shot registration.
 */
final class Registrar {
    /** What happened to one device. */
    enum Outcome {
        CREATED, REPLACED, UNCHANGED
    }

    record Result(String device, String node, Outcome outcome) {
        String describe() {
            return device + " on " + node + ": " + switch (outcome) {
                case CREATED -> "registered (201)";
                case REPLACED -> "registration replaced (200): it differed from the topology";
                case UNCHANGED -> "already registered";
            };
        }
    }

    private final CloudApi cloud;

    Registrar(CloudApi cloud) {
        this.cloud = cloud;
    }

    List<Result> register(List<Topology.Device> devices) throws IOException, InterruptedException {
        List<Result> results = new ArrayList<>();
        for (Topology.Device d : devices) {
            Optional<JsonNode> current = cloud.device(d.name());
            Outcome outcome;
            if (current.isPresent() && matches(current.get(), d.registration())) {
                outcome = Outcome.UNCHANGED;
            } else {
                outcome = cloud.put(d.name(), d.registration()).status() == 201 ? Outcome.CREATED : Outcome.REPLACED;
            }
            results.add(new Result(d.name(), d.node(), outcome));
        }
        return results;
    }

    /** The document holds what the registration says: node, model, attributes, and every property it defines. */
    static boolean matches(JsonNode document, JsonNode registration) {
        if (!document.path("node").equals(registration.path("node"))) return false;
        if (!document.path("model").asText("").equals(registration.path("model").asText(""))) return false;
        JsonNode attributes = registration.path("attributes");
        JsonNode have = document.path("attributes");
        if (!(attributes.isMissingNode() ? have.isMissingNode() || have.isEmpty() : attributes.equals(have))) return false;
        for (Iterator<String> it = registration.path("twin").fieldNames(); it.hasNext(); ) {
            if (!document.path("twin").has(it.next())) return false;
        }
        return true;
    }
}
