package dev.edgetwin.log.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The registers of one half of a twin (desired or reported): an immutable map property →
 * {@link Field} held as two parallel arrays sorted by property name, iterating in that order
 * (the order of a {@code TreeMap}, which codecs and documents rely on). A twin has a handful of
 * properties, so {@link #with} copying two small arrays is far cheaper than copying a tree per
 * event. Equal to any {@link Map} with the same entries.
 */
final class FieldMap extends AbstractMap<String, Field> {
    static final FieldMap EMPTY = new FieldMap(new String[0], new Field[0]);

    private final String[] keys;
    private final Field[] values;

    private FieldMap(String[] keys, Field[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** A copy of {@code fields}, whatever its order. */
    static FieldMap copyOf(Map<String, Field> fields) {
        if (fields instanceof FieldMap m) return m;
        FieldMap out = EMPTY;
        for (Map.Entry<String, Field> e : fields.entrySet()) out = out.with(e.getKey(), e.getValue());
        return out;
    }

    /**
     * Builds from keys already sorted strictly ascending (as {@link DeviceTwinCodec} writes
     * them); returns null when they are not, so the caller can fall back to {@link #copyOf}.
     */
    static FieldMap ofSorted(String[] keys, Field[] values) {
        for (int i = 1; i < keys.length; i++) {
            if (keys[i - 1].compareTo(keys[i]) >= 0) return null;
        }
        return keys.length == 0 ? EMPTY : new FieldMap(keys, values);
    }

    /** This map with {@code key} mapped to {@code field}; the arrays are copied, this map is unchanged. */
    FieldMap with(String key, Field field) {
        int i = Arrays.binarySearch(keys, key);
        if (i >= 0) {
            Field[] v = values.clone();
            v[i] = field;
            return new FieldMap(keys, v);
        }
        int at = -i - 1;
        String[] k = new String[keys.length + 1];
        Field[] v = new Field[keys.length + 1];
        System.arraycopy(keys, 0, k, 0, at);
        System.arraycopy(values, 0, v, 0, at);
        k[at] = key;
        v[at] = field;
        System.arraycopy(keys, at, k, at + 1, keys.length - at);
        System.arraycopy(values, at, v, at + 1, keys.length - at);
        return new FieldMap(k, v);
    }

    /** The registers whose stamp is newer than {@code s}. */
    FieldMap newerThan(Stamp s) {
        String[] k = new String[keys.length];
        Field[] v = new Field[keys.length];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (values[i].stamp().compareTo(s) > 0) {
                k[n] = keys[i];
                v[n++] = values[i];
            }
        }
        return n == 0 ? EMPTY : n == keys.length ? this : new FieldMap(Arrays.copyOf(k, n), Arrays.copyOf(v, n));
    }

    @Override
    public Field get(Object key) {
        if (!(key instanceof String s)) return null;
        int i = Arrays.binarySearch(keys, s);
        return i >= 0 ? values[i] : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Field> action) {
        for (int i = 0; i < keys.length; i++) action.accept(keys[i], values[i]);
    }

    @Override
    public Set<Map.Entry<String, Field>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Field>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < keys.length;
                    }

                    @Override
                    public Map.Entry<String, Field> next() {
                        if (i >= keys.length) throw new NoSuchElementException();
                        Map.Entry<String, Field> e = new SimpleImmutableEntry<>(keys[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
