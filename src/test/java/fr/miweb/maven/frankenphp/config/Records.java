package fr.miweb.maven.frankenphp.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/** Copies a record with one component replaced, so a test changes exactly the value it is about. */
public final class Records {

    private Records() {
    }

    public static <R extends Record> R with(R record, String component, Object value) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] arguments = new Object[components.length];
        boolean found = false;
        try {
            for (int i = 0; i < components.length; i++) {
                if (components[i].getName().equals(component)) {
                    arguments[i] = value;
                    found = true;
                } else {
                    arguments[i] = components[i].getAccessor().invoke(record);
                }
            }
            if (!found) {
                throw new IllegalArgumentException(record.getClass().getSimpleName() + " has no component " + component);
            }
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<?> canonical = record.getClass().getDeclaredConstructor(types);
            @SuppressWarnings("unchecked")
            R copy = (R) canonical.newInstance(arguments);
            return copy;
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
