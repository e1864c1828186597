package org.mandos.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mandos.config.internal.ClientSectionReader;
import org.mandos.config.internal.ConfigFileText;
import org.mandos.config.internal.FileExposure;
import org.mandos.config.internal.PasswdFile;

/**
 * The clients defined in {@code clients.conf}, in file order, with warnings about problems that
 * the reference server also survives.
 *
 * <p>As in the reference, every option of every section is interpolated, unknown ones included,
 * so one bad {@code %} anywhere is an error; a section with neither {@code key_id} nor
 * {@code fingerprint} is skipped with a warning; a missing secret, bad base64, an unreadable
 * {@code secfile}, a bad duration or a bad boolean is an error. Differences: a relative
 * {@code secfile} is resolved against the directory of {@code clients.conf} (the reference
 * used its working directory, {@code /} once daemonized), an unreadable {@code clients.conf} is an
 * error rather than no clients, and clients sharing a {@code key_id} or {@code fingerprint} get a
 * warning (the first one listed wins, as in the reference).
 *
 * @param file the file read
 * @param clients the clients, in file order
 * @param warnings one-line warnings for the log, control characters escaped
 */
public record ClientsFile(Path file, List<ClientSettings> clients, List<String> warnings) {

    /**
     * The reference server's built-in client defaults, layered under {@code [DEFAULT]}, in its
     * order. The checker pings the host; {@code %%(host)s} becomes the run-time {@code %(host)s}.
     */
    public static final Map<String, String> BUILT_IN_DEFAULTS = builtInDefaults();

    /** Copies the lists, escaping control characters in the warnings (a section name can hold any). */
    public ClientsFile {
        clients = List.copyOf(clients);
        warnings = warnings.stream().map(ConfigException::oneLine).toList();
    }

    private static Map<String, String> builtInDefaults() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("timeout", "PT5M");
        map.put("extended_timeout", "PT15M");
        map.put("interval", "PT2M");
        map.put("checker", "fping -q -- %%(host)s");
        map.put("host", "");
        map.put("approval_delay", "PT0S");
        map.put("approval_duration", "PT1S");
        map.put("approved_by_default", "True");
        map.put("enabled", "True");
        return Collections.unmodifiableMap(map);
    }

    /**
     * Reads {@code clients.conf}.
     *
     * @param clientsConf the file; if it does not exist the result has no clients and the warning
     *     {@code <path> does not exist: no clients defined}
     * @param env the environment for {@code $VAR} and {@code ~} in {@code secfile}
     * @throws ConfigException if the file exists but cannot be read, or for any fatal problem
     */
    public static ClientsFile load(Path clientsConf, Map<String, String> env) throws ConfigException {
        Optional<String> text = ConfigFileText.readIfExists(clientsConf);
        if (text.isEmpty()) {
            return new ClientsFile(clientsConf, List.of(), List.of(clientsConf + " does not exist: no clients defined"));
        }
        Optional<String> exposed = FileExposure.check(clientsConf, "the clients' secrets",
                "could give a client their own key and receive its secret");
        ClientsFile parsed = parse(clientsConf, text.get(), env);
        if (exposed.isEmpty()) {
            return parsed;
        }
        List<String> warnings = new ArrayList<>(parsed.warnings());
        warnings.add(0, exposed.get());
        return new ClientsFile(clientsConf, parsed.clients(), warnings);
    }

    /** The drop-in directory next to {@code clients.conf}. */
    public static final String DROP_IN_DIRECTORY = "clients.d";

    /**
     * Reads {@code <configdir>/clients.conf} and then every {@code <configdir>/clients.d/*.conf}, in
     * the lexical order of their names; names starting with a dot are skipped. Each file is read on its
     * own, as a {@code clients.conf} (its {@code [DEFAULT]} applies within that file only), and its
     * clients follow those of the files before it. A client name defined in two files, or any file
     * that does not parse, fails the whole configuration.
     *
     * @param configdir the configuration directory
     * @param env the environment for {@code $VAR} and {@code ~} in {@code secfile}
     * @return every client, with {@code file} the {@code clients.conf}
     * @throws ConfigException for the first file that cannot be used, or a name defined twice
     */
    public static ClientsFile loadWithDropIns(Path configdir, Map<String, String> env) throws ConfigException {
        Path main = configdir.resolve("clients.conf");
        ClientsFile first = load(main, env);
        List<Path> dropIns = dropIns(configdir.resolve(DROP_IN_DIRECTORY));
        if (dropIns.isEmpty()) {
            return first;
        }
        List<ClientSettings> clients = new ArrayList<>(first.clients());
        List<String> warnings = new ArrayList<>(first.warnings());
        if (!Files.exists(main)) {
            // clients.conf may be left out when clients.d defines the clients.
            warnings.clear();
        }
        Map<String, Path> definedIn = new HashMap<>();
        first.clients().forEach(c -> definedIn.put(c.name(), main));
        for (Path file : dropIns) {
            ClientsFile next = load(file, env);
            for (ClientSettings client : next.clients()) {
                Path earlier = definedIn.putIfAbsent(client.name(), file);
                if (earlier != null) {
                    throw new ConfigException(file, 0, client.name(), null,
                            "client already defined in " + earlier);
                }
                clients.add(client);
            }
            warnings.addAll(next.warnings());
        }
        if (clients.isEmpty()) {
            warnings.add("No clients defined in " + main + " or " + configdir.resolve(DROP_IN_DIRECTORY));
        }
        return new ClientsFile(main, clients, warnings);
    }

    /** The {@code *.conf} files of a drop-in directory, sorted; none when it does not exist. */
    public static List<Path> dropIns(Path directory) throws ConfigException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.endsWith(".conf") && !name.startsWith(".") && Files.isRegularFile(f);
            }).sorted(Comparator.comparing(f -> f.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new ConfigException(directory, 0, null, null, "cannot list the directory: " + e.getMessage());
        }
    }

    /**
     * Reads the text of a {@code clients.conf}.
     *
     * @param file the file the text came from: for messages, and the base of relative {@code secfile} paths
     * @param text its contents
     * @param env the environment for {@code $VAR} and {@code ~} in {@code secfile}
     */
    public static ClientsFile parse(Path file, String text, Map<String, String> env) throws ConfigException {
        IniDocument document = IniParser.parse(file, text);
        ClientSectionReader reader = new ClientSectionReader(env, PasswdFile.SYSTEM);
        List<ClientSettings> clients = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String name : document.sectionNames()) {
            Optional<ClientSettings> client = reader.read(document.section(name, BUILT_IN_DEFAULTS));
            if (client.isPresent()) {
                clients.add(client.get());
            } else {
                warnings.add("Skipping client " + name + " without key_id or fingerprint");
            }
        }
        warnings.addAll(reader.warnings());
        warnAboutSharedIdentities(clients, warnings);
        return new ClientsFile(file, clients, warnings);
    }

    /**
     * The server picks the first client in file order whose key_id matches. It speaks TLS 1.3 with raw
     * public keys only, so an OpenPGP fingerprint never identifies anyone: a client with nothing else
     * is kept (as the reference keeps it) but can never receive its secret.
     */
    private static void warnAboutSharedIdentities(List<ClientSettings> clients, List<String> warnings) {
        Map<String, String> byKeyId = new HashMap<>();
        for (ClientSettings client : clients) {
            if (client.keyId().isEmpty()) {
                warnings.add("Client " + client.name() + " has no key_id, only an OpenPGP fingerprint, which this"
                        + " server does not use: it can never receive its secret");
            }
            warnIfShared(byKeyId, client.keyId(), client.name(), "key_id", warnings);
        }
    }

    private static void warnIfShared(Map<String, String> seen, String identity, String name, String kind,
            List<String> warnings) {
        if (identity.isEmpty()) {
            return;
        }
        String first = seen.putIfAbsent(identity, name);
        if (first != null) {
            warnings.add("Client " + name + " has the same " + kind + " as client " + first
                    + ", which comes first and will be used instead");
        }
    }
}
