package org.mandos.client;

/**
 * Where the servers come from when no {@code --connect} is given: Zeroconf ({@link JmdnsServerSource}), or a
 * fake in tests. It may report the same server more than once; {@link ServerRotation} ignores repeats.
 */
interface ServerSource extends AutoCloseable {

    /**
     * Returns the next server found (in the order found), waiting for one at most {@code timeoutNanos}: 0 means
     * do not wait, a negative value means wait with no limit.
     *
     * @return the server, or {@code null} if none was found in that time
     * @throws InterruptedException if interrupted while waiting
     */
    ServerAddress next(long timeoutNanos) throws InterruptedException;

    /** Stops looking for servers and releases the network resources. */
    @Override
    void close();
}
