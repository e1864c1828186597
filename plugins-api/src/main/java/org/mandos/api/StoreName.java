package org.mandos.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for the {@value #PROPERTY} service property of a {@link ClientStore}: a short name for the store, used in log lines and by operators.
 * Put it on the Declarative Services component, for example
 * <pre>{@code
 * @Component(service = ClientStore.class)
 * @StoreName("directory")
 * public final class MyClientStore implements ClientStore { ... }
 * }</pre>
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface StoreName {

    /** Makes the property name {@value #PROPERTY} (the annotation's name gives the rest). */
    String PREFIX_ = "mandos.";

    /** The service property this annotation sets. */
    String PROPERTY = "mandos.store.name";

    /** The property's value. */
    String value();
}
