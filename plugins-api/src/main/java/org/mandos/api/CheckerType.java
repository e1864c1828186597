package org.mandos.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for the {@value #PROPERTY} service property of a {@link Checker}: the checker's name as clients select it with {@code checker_type}, e.g. {@code ssh}.
 * Put it on the Declarative Services component, for example
 * <pre>{@code
 * @Component(service = Checker.class)
 * @CheckerType("ssh")
 * public final class MyChecker implements Checker { ... }
 * }</pre>
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface CheckerType {

    /** Makes the property name {@value #PROPERTY} (the annotation's name gives the rest). */
    String PREFIX_ = "mandos.";

    /** The service property this annotation sets. */
    String PROPERTY = "mandos.checker.type";

    /** The property's value. */
    String value();
}
