package org.mandos.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Publishes the server on the local network (Zeroconf / DNS-SD) so that clients in an initial RAM disk
 * can find it.
 *
 * <p>Threading: both methods may block briefly and are called from a core thread, never concurrently.
 * Failure contract: an announcer that throws leaves the server running and serving clients that know
 * its address; the failure is logged.
 */
@ConsumerType
public interface Announcer {

    /** Service property: the announcer's name, e.g. {@code jmdns} or {@code avahi}. */
    String NAME = AnnouncerName.PROPERTY;

    /** Publishes (or re-publishes, replacing the previous) announcement. */
    void announce(Announcement announcement) throws Exception;

    /** Withdraws the announcement, if any. */
    void withdraw() throws Exception;
}
