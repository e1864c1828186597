package org.mandos.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for the {@value #PROPERTY} service property of a {@link Announcer}: the announcer's name, e.g. {@code jmdns} or {@code avahi}; {@code announcer} in {@code mandos.conf} selects by it.
 * Put it on the Declarative Services component, for example
 * <pre>{@code
 * @Component(service = Announcer.class)
 * @AnnouncerName("jmdns")
 * public final class MyAnnouncer implements Announcer { ... }
 * }</pre>
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface AnnouncerName {

    /** Makes the property name {@value #PROPERTY} (the annotation's name gives the rest). */
    String PREFIX_ = "mandos.";

    /** The service property this annotation sets. */
    String PROPERTY = "mandos.announcer.name";

    /** The property's value. */
    String value();
}
