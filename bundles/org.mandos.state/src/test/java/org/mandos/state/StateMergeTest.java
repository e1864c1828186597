package org.mandos.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mandos.state.Fixtures.NOW;
import static org.mandos.state.Fixtures.SAVED;
import static org.mandos.state.Fixtures.T0;
import static org.mandos.state.Fixtures.config;
import static org.mandos.state.Fixtures.saved;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class StateMergeTest {
    private static final Instant LATER = NOW.plus(Duration.ofMinutes(3));
    private static final Instant EARLIER = NOW.minus(Duration.ofMinutes(3));
    private static final Instant CHECKED = Instant.parse("2024-03-01T11:58:00Z");

    private static StateFile.Valid valid(List<ClientState> states, List<ConfiguredClient> snapshots) {
        return new StateFile.Valid(states, SAVED,
                snapshots.stream().collect(java.util.stream.Collectors.toMap(ConfiguredClient::name, c -> c)));
    }

    private static StateMerge.InitialClient only(StateMerge.Result r) {
        assertEquals(1, r.clients().size());
        return r.clients().get(0);
    }

    private static ConfiguredClient with(ConfiguredClient c, boolean enabled, Duration timeout, String host,
            String checker) {
        return new ConfiguredClient(c.name(), c.keyId(), c.fingerprint(), host, enabled, timeout, c.extendedTimeout(),
                c.interval(), c.approvalDelay(), c.approvalDuration(), c.approvedByDefault(), checker);
    }

    @Test
    void restoresRuntimeAttributesOfAConfiguredClient() {
        ConfiguredClient c = config("foo", true);
        ClientState s = saved(c, true, CHECKED, 0, LATER);
        StateMerge.InitialClient r = only(StateMerge.merge(List.of(c), valid(List.of(s), List.of(c)), NOW, true));
        assertEquals(StateMerge.Origin.RESTORED, r.origin());
        assertFalse(r.needsCheck());
        assertEquals(s, r.state()); // nothing changed: everything restored as saved
        assertEquals(T0, r.state().created());
        assertEquals(LATER, r.state().expires());
        assertEquals(Instant.parse("2024-03-01T11:00:00Z"), r.state().lastApprovalRequest());
    }

    @Test
    void restoresADisabledClientAsDisabled() {
        ConfiguredClient c = config("foo", true);
        ClientState s = saved(c, false, CHECKED, 0, null);
        StateMerge.InitialClient r = only(StateMerge.merge(List.of(c), valid(List.of(s), List.of(c)), NOW, true));
        assertFalse(r.state().enabled());
        assertNull(r.state().expires());
        assertEquals(s.lastEnabled(), r.state().lastEnabled());
    }

    @Test
    void runtimeSettingChangeSurvivesWhenConfigUnchanged() {
        ConfiguredClient c = config("foo", true);
        ClientState s = saved(with(c, true, Duration.ofMinutes(42), "other.example", "true"), true, CHECKED, 0, LATER);
        ClientState r = only(StateMerge.merge(List.of(c), valid(List.of(s), List.of(c)), NOW, true)).state();
        assertEquals(Duration.ofMinutes(42), r.timeout());
        assertEquals("other.example", r.host());
        assertEquals("true", r.checker());
    }

    @Test
    void configEditWinsForChangedSettings() {
        ConfiguredClient old = config("foo", true);
        ConfiguredClient now = with(old, true, Duration.ofMinutes(60), "new.example", old.checker());
        ClientState s = saved(with(old, true, Duration.ofMinutes(42), "runtime.example", "true"), true, CHECKED, 0,
                LATER);
        ClientState r = only(StateMerge.merge(List.of(now), valid(List.of(s), List.of(old)), NOW, true)).state();
        assertEquals(Duration.ofMinutes(60), r.timeout(), "edited in clients.conf: config wins");
        assertEquals("new.example", r.host(), "edited in clients.conf: config wins");
        assertEquals("true", r.checker(), "not edited: runtime value kept");
    }

    @Test
    void withoutSnapshotSettingsComeFromConfigAndEnabledFromState() {
        ConfiguredClient c = config("foo", true);
        ClientState s = saved(with(c, true, Duration.ofMinutes(42), "x", "true"), false, CHECKED, 0, null);
        ClientState r = only(StateMerge.merge(List.of(c), new StateFile.Valid(List.of(s), SAVED), NOW, true)).state();
        assertEquals(c.timeout(), r.timeout());
        assertEquals(c.host(), r.host());
        assertFalse(r.enabled());
    }

    @Test
    void identityAlwaysComesFromConfig() {
        ConfiguredClient c = config("foo", true);
        ClientState s = new ClientState("foo", "OLDKEY", "OLDFPR", c.host(), true, T0, T0, CHECKED, 0, LATER, null,
                c.timeout(), c.extendedTimeout(), c.interval(), c.approvalDelay(), c.approvalDuration(),
                c.approvedByDefault(), c.checker());
        ClientState r = only(StateMerge.merge(List.of(c), valid(List.of(s), List.of(c)), NOW, true)).state();
        assertEquals(c.keyId(), r.keyId());
        assertEquals(c.fingerprint(), r.fingerprint());
    }

    @Test
    void enabledFlippedToTrueInConfigTakesConfigValueWithoutCrashing() {
        // The reference crashes here with TypeError (expires is None).
        ConfiguredClient old = config("foo", false);
        ConfiguredClient now = config("foo", true);
        ClientState s = saved(old, false, null, -2, null);
        StateMerge.Result res = StateMerge.merge(List.of(now), valid(List.of(s), List.of(old)), NOW, true);
        ClientState r = only(res).state();
        assertTrue(r.enabled());
        assertEquals(NOW, r.lastEnabled());
        assertNull(r.expires());
        assertTrue(res.warnings().get(0).contains("enabled changed in clients.conf to true"), res.warnings().toString());
    }

    @Test
    void enabledFlippedToFalseInConfigTakesConfigValue() {
        ConfiguredClient old = config("foo", true);
        ConfiguredClient now = config("foo", false);
        ClientState s = saved(old, true, CHECKED, 0, LATER);
        ClientState r = only(StateMerge.merge(List.of(now), valid(List.of(s), List.of(old)), NOW, true)).state();
        assertFalse(r.enabled());
        assertNull(r.expires());
        assertEquals(s.lastEnabled(), r.lastEnabled());
    }

    @Test
    void unchangedConfigKeepsRuntimeEnabledEvenIfItDiffersFromConfig() {
        ConfiguredClient c = config("foo", true);
        ClientState s = saved(c, false, CHECKED, 0, null); // disabled at run time
        assertFalse(only(StateMerge.merge(List.of(c), valid(List.of(s), List.of(c)), NOW, true)).state().enabled());
    }

    @Test
    void expiredClientThatNeverCheckedOkIsDisabled() {
        ConfiguredClient c = config("foo", true);
        ClientState s = saved(c, true, null, -2, EARLIER);
        StateMerge.Result res = StateMerge.merge(List.of(c), valid(List.of(s), List.of(c)), NOW, true);
        ClientState r = only(res).state();
        assertFalse(r.enabled());
        assertNull(r.expires());
        assertEquals(List.of("disabling client foo - Client never performed a successful checker"), res.warnings());
    }

    @Test
    void expiredClientWhoseLastCheckFailedIsDisabled() {
        ConfiguredClient c = config("foo", true);
        ClientState s = saved(c, true, CHECKED, 1, EARLIER);
        StateMerge.Result res = StateMerge.merge(List.of(c), valid(List.of(s), List.of(c)), NOW, true);
        assertFalse(only(res).state().enabled());
        assertEquals(List.of("disabling client foo - Client last checker failed with error code 1"), res.warnings());
    }

    @Test
    void expiredClientWhoseLastCheckWasKilledIsDisabled() {
        ConfiguredClient c = config("foo", true);
        ClientState s = saved(c, true, CHECKED, -1, EARLIER);
        assertFalse(only(StateMerge.merge(List.of(c), valid(List.of(s), List.of(c)), NOW, true)).state().enabled());
    }

    @Test
    void expiredClientWhoseLastCheckSucceededStaysEnabledWithNewExpiry() {
        ConfiguredClient c = config("foo", true);
        ClientState s = saved(c, true, CHECKED, 0, EARLIER);
        ClientState r = only(StateMerge.merge(List.of(c), valid(List.of(s), List.of(c)), NOW, true)).state();
        assertTrue(r.enabled());
        assertEquals(NOW.plus(c.timeout()), r.expires());
    }

    @Test
    void expiryExactlyNowCountsAsExpired() {
        ConfiguredClient c = config("foo", true);
        ClientState s = saved(c, true, null, -2, NOW);
        assertFalse(only(StateMerge.merge(List.of(c), valid(List.of(s), List.of(c)), NOW, true)).state().enabled());
    }

    @Test
    void enabledWithoutSavedExpiryIsTreatedAsExpired() {
        ConfiguredClient c = config("foo", true);
        ClientState s = saved(c, true, null, -2, null);
        assertFalse(only(StateMerge.merge(List.of(c), valid(List.of(s), List.of(c)), NOW, true)).state().enabled());
    }

    @Test
    void notExpiredClientWithFailedCheckStaysEnabled() {
        ConfiguredClient c = config("foo", true);
        ClientState s = saved(c, true, CHECKED, 3, LATER);
        ClientState r = only(StateMerge.merge(List.of(c), valid(List.of(s), List.of(c)), NOW, true)).state();
        assertTrue(r.enabled());
        assertEquals(LATER, r.expires());
    }

    @Test
    void newClientInConfigStartsFromConfig() {
        ConfiguredClient foo = config("foo", true);
        ConfiguredClient bar = config("bar", true);
        ConfiguredClient baz = config("baz", false);
        StateMerge.Result res = StateMerge.merge(List.of(foo, bar, baz),
                valid(List.of(saved(foo, true, CHECKED, 0, LATER)), List.of(foo)), NOW, true);
        assertEquals(List.of("foo", "bar", "baz"), res.clients().stream().map(i -> i.state().name()).toList());
        StateMerge.InitialClient b = res.clients().get(1);
        assertEquals(StateMerge.Origin.NEW, b.origin());
        assertFalse(b.needsCheck());
        assertEquals(new ClientState("bar", bar.keyId(), bar.fingerprint(), bar.host(), true, NOW, NOW, null, -2, null,
                null, bar.timeout(), bar.extendedTimeout(), bar.interval(), bar.approvalDelay(),
                bar.approvalDuration(), bar.approvedByDefault(), bar.checker()), b.state());
        ClientState z = res.clients().get(2).state();
        assertFalse(z.enabled());
        assertNull(z.lastEnabled());
    }

    @Test
    void clientNoLongerConfiguredIsDroppedWithoutCrashing() {
        // The reference crashes with KeyError when such a client is also missing from the saved clients.
        ConfiguredClient foo = config("foo", true);
        ConfiguredClient gone = config("gone", true);
        StateMerge.Result res = StateMerge.merge(List.of(foo),
                valid(List.of(saved(foo, true, CHECKED, 0, LATER), saved(gone, true, CHECKED, 0, LATER)),
                        List.of(foo)),
                NOW, true);
        assertEquals(List.of("foo"), res.clients().stream().map(i -> i.state().name()).toList());
        assertEquals(List.of("gone"), res.dropped());
    }

    @Test
    void corruptStateStartsEveryClientFromConfigButNeedsACheck() {
        ConfiguredClient on = config("on", true);
        ConfiguredClient off = config("off", false);
        StateMerge.Result res = StateMerge.merge(List.of(on, off),
                new StateFile.Corrupt(Path.of("/var/lib/mandos/clients.json.corrupt-x"), "not valid JSON"), NOW, true);
        assertEquals(2, res.clients().size());
        for (StateMerge.InitialClient i : res.clients()) {
            assertTrue(i.needsCheck());
            assertEquals(StateMerge.Origin.AFTER_CORRUPT_STATE, i.origin());
            assertNull(i.state().lastCheckedOk());
            assertEquals(-2, i.state().lastCheckerStatus());
        }
        assertTrue(res.clients().get(0).state().enabled());
        assertFalse(res.clients().get(1).state().enabled());
        assertEquals(1, res.warnings().size());
        assertTrue(res.warnings().get(0).contains("not valid JSON"));
    }

    @Test
    void missingStateStartsFromConfigWithoutNeedsCheck() {
        ConfiguredClient c = config("foo", true);
        StateMerge.InitialClient r = only(StateMerge.merge(List.of(c),
                new StateFile.Missing(Path.of("/x/clients.json")), NOW, true));
        assertEquals(StateMerge.Origin.NEW, r.origin());
        assertFalse(r.needsCheck());
        assertTrue(r.state().enabled());
        assertEquals(NOW, r.state().created());
    }

    @Test
    void restoreOffIgnoresTheSavedState() {
        ConfiguredClient c = config("foo", true);
        ClientState s = saved(c, false, CHECKED, 0, null);
        for (StateFile.Loaded l : new StateFile.Loaded[] {valid(List.of(s), List.of(c)), null,
                new StateFile.Corrupt(Path.of("/x"), "bad")}) {
            StateMerge.Result res = StateMerge.merge(List.of(c), l, NOW, false);
            StateMerge.InitialClient r = only(res);
            assertEquals(StateMerge.Origin.CONFIG_ONLY, r.origin());
            assertFalse(r.needsCheck());
            assertTrue(r.state().enabled());
            assertEquals(NOW, r.state().created());
            assertNull(r.state().lastCheckedOk());
            assertEquals(List.of(), res.dropped());
        }
    }

    @Test
    void duplicateConfiguredNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> StateMerge.merge(
                List.of(config("a", true), config("a", true)), new StateFile.Missing(Path.of("/x")), NOW, true));
    }

    @Test
    void mergeOfLoadedFileEndToEnd(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ConfiguredClient c = config("foo", true);
        StateFile.save(dir, List.of(saved(c, true, CHECKED, 0, LATER)), List.of(c));
        StateMerge.Result res = StateMerge.merge(List.of(c), StateFile.load(dir), NOW, true);
        assertEquals(StateMerge.Origin.RESTORED, only(res).origin());
    }
}
