package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When the demo counts as up, asked of the cloud: every device is {@code online} (its mapper is
 * connected to its edge, which replicated that to the cloud) and every property has a reported
 * value matching its desired one, if any. That proves the whole chain: cloud → edge (registration
 * over sync) → mapper (twin get over MQTT) → line → report → edge → cloud.
 */
final class Readiness {
    private final CloudApi cloud;

    Readiness(CloudApi cloud) {
        this.cloud = cloud;
    }

    /** What still keeps each device from being ready; an empty list once all are. */
    List<String> waitingFor(List<Topology.Device> devices) throws InterruptedException {
        List<String> waiting = new ArrayList<>();
        for (Topology.Device d : devices) {
            try {
                Optional<JsonNode> doc = cloud.device(d.name());
                String why = doc.isEmpty() ? "not registered" : notReady(doc.get());
                if (why != null) waiting.add(d.name() + " (" + why + ")");
            } catch (IOException e) {
                waiting.add(d.name() + " (" + e.getMessage() + ")");
            }
        }
        return waiting;
    }

    /** Why a twin document is not ready yet, or null when it is. */
    static String notReady(JsonNode doc) {
        String state = doc.path("state").asText("unknown");
        if (!state.equals("online")) return "state " + state;
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("twin").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            JsonNode prop = p.getValue();
            if (!prop.has("reported")) return p.getKey() + ": no reported value yet";
            if (prop.has("desired") && !prop.path("inSync").asBoolean(false)) {
                return p.getKey() + ": desired " + prop.path("desired").path("value") + ", reported " + prop.path("reported").path("value");
            }
        }
        return null;
    }
}
