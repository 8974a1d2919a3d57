package dev.edgetwin.log.model;

/**
 * A coded rejection. {@code code} is stable and part of the wire format (REST problem
 * documents, MQTT results, sync close reasons); {@code status} is the matching HTTP status.
 */
public record TwinError(String code, int status, String message) {
    public static final String DEVICE_NOT_FOUND = "twin:device.notfound";
    public static final String ID_INVALID = "twin:id.invalid";
    public static final String NODE_INVALID = "twin:node.invalid";
    public static final String MODEL_INVALID = "twin:model.invalid";
    public static final String PROPERTY_INVALID = "twin:property.invalid";
    public static final String PROPERTY_READONLY = "twin:property.readonly";
    public static final String ATTRIBUTE_INVALID = "twin:attribute.invalid";
    public static final String VALUE_INVALID = "twin:value.invalid";
    public static final String VALUE_TOO_LARGE = "twin:value.toolarge";
    public static final String LIMIT_PROPERTIES = "twin:limit.properties";
    public static final String LIMIT_ATTRIBUTES = "twin:limit.attributes";
    public static final String VERSION_MISMATCH = "twin:version.mismatch";
    public static final String STREAM_FORBIDDEN = "twin:stream.forbidden";
    /** An edge asked to register a device bound to another node (only the cloud places devices on nodes). */
    public static final String NODE_FOREIGN = "twin:node.foreign";

    public static TwinError notFound(DeviceId id) {
        return new TwinError(DEVICE_NOT_FOUND, 404, "device " + id + " does not exist");
    }

    public static TwinError badRequest(String code, String message) {
        return new TwinError(code, 400, message);
    }
}
