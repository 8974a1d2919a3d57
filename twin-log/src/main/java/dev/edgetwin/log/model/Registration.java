package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * The registration register of a device: node, model, attributes and property definitions
 * are written together by one {@link TwinEvent.DeviceRegistered} and replaced as a whole by a
 * newer one (a re-registration that drops an attribute drops it).
 */
public record Registration(Stamp stamp, String node, String model,
                           Map<String, JsonNode> attributes, Map<String, PropertyDef> properties) {
}
