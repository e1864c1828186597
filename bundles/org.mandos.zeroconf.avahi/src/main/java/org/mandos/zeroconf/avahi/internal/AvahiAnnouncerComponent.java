package org.mandos.zeroconf.avahi.internal;


import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import org.mandos.api.Announcer;
import org.mandos.config.SystemBusAddress;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The Avahi announcer: an {@link Announcer} with {@code mandos.announcer.name=avahi} that is registered
 * only while Avahi is on the D-Bus system bus and RUNNING, so that {@code announcer = auto} picks it
 * exactly when it can work. The component registers that service itself (as
 * {@code @AnnouncerName("avahi")} would), because it comes and goes with Avahi while the component stays
 * active. The system bus is {@code DBUS_SYSTEM_BUS_ADDRESS}, else {@value SystemBusAddress#DEFAULT_ADDRESS};
 * without one, the component logs that once and tries again every {@link #RETRY}.
 */
@Component(service = {}, immediate = true)
public final class AvahiAnnouncerComponent {

    /** How often a missing or lost system bus is tried again. */
    static final Duration RETRY = Duration.ofSeconds(30);

    private final AvahiLink link;

    @Activate
    public AvahiAnnouncerComponent(BundleContext context) {
        AvahiPublication publication = new AvahiPublication(AvahiPublication.DEFAULT_MAX_RENAMES,
                AvahiAnnouncer::interfaceIndex);
        AvahiAnnouncer announcer = new AvahiAnnouncer(publication);
        this.link = new AvahiLink(SystemBusAddress.fromEnvironment(), RETRY,
                publication, new Registration(context, announcer));
        link.start();
    }

    @Deactivate
    void deactivate() {
        link.stop();
    }

    /** Registers and unregisters the Announcer service (always on the link's thread). */
    private static final class Registration implements AvahiLink.Availability {

        private final BundleContext context;
        private final Announcer announcer;
        private ServiceRegistration<Announcer> registration;

        Registration(BundleContext context, Announcer announcer) {
            this.context = context;
            this.announcer = announcer;
        }

        @Override
        public void available() {
            if (registration == null) {
                Dictionary<String, Object> properties = new Hashtable<>();
                properties.put(Announcer.NAME, AvahiAnnouncer.NAME);
                registration = context.registerService(Announcer.class, announcer, properties);
            }
        }

        @Override
        public void unavailable() {
            ServiceRegistration<Announcer> r = registration;
            registration = null;
            if (r != null) {
                try {
                    r.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // The bundle is stopping and the framework took the registration down first.
                }
            }
        }
    }
}
