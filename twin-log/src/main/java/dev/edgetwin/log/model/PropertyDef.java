package dev.edgetwin.log.model;

/**
 * A twin property's definition, from the device model. {@code type} uses KubeEdge's twin
 * type words ({@code string}, {@code int}, {@code float}, {@code boolean}, …); empty means any.
 */
public record PropertyDef(String type, boolean readOnly) {
    public static final PropertyDef ANY = new PropertyDef("", false);

    public PropertyDef {
        type = type == null ? "" : type;
    }
}
