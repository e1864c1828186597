package org.mandos.zeroconf.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Responders that record what they are asked to do; a test plays the network's part. */
final class FakeResponders implements Responder.Factory {

    static final class Fake implements Responder {
        final LocalAddress address;
        final String hostName;
        final List<String> registered = new ArrayList<>();
        String current;
        int port;
        boolean closed;
        int maintained;
        boolean loopback;

        Fake(LocalAddress address, String hostName) {
            this.address = address;
            this.hostName = hostName;
        }

        @Override
        public void register(String name, int port) {
            registered.add(name);
            current = name;
            this.port = port;
        }

        @Override
        public String registeredName() {
            return current;
        }

        /** What jmdns does when another host uses the name: renames the service itself. */
        void collide() {
            current = current + " (2)";
        }

        @Override
        public void maintain(boolean loopback) {
            maintained++;
            this.loopback = loopback;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    final List<Fake> opened = new ArrayList<>();
    final Set<LocalAddress> failing = new HashSet<>();
    final List<String> hostNames = new ArrayList<>();

    @Override
    public Responder open(LocalAddress address, String hostName) throws IOException {
        if (failing.contains(address)) {
            throw new IOException("cannot bind");
        }
        Fake fake = new Fake(address, hostName);
        opened.add(fake);
        hostNames.add(hostName);
        return fake;
    }

    List<Fake> live() {
        return opened.stream().filter(f -> !f.closed).toList();
    }

    List<LocalAddress> liveAddresses() {
        return live().stream().map(f -> f.address).toList();
    }
}
