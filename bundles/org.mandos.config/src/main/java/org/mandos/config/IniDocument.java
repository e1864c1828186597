package org.mandos.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

/**
 * A parsed INI file: its sections in file order and their raw options with line numbers. Values
 * are read, with {@code [DEFAULT]} and built-in defaults layered underneath and with
 * interpolation, through {@link #section(String, Map)}.
 */
public final class IniDocument {

    /** The name of the section whose options every other section inherits. */
    public static final String DEFAULT_SECTION = "DEFAULT";

    /** One section as written: the line of its first header and its options in file order. */
    record Section(int headerLine, Map<String, IniOption> options) {
    }

    private static final Section ABSENT_DEFAULT = new Section(0, Map.of());

    private final Path file;
    private final Map<String, Section> sections;

    IniDocument(Path file, Map<String, Section> sections) {
        this.file = file;
        this.sections = Collections.unmodifiableMap(sections);
    }

    /** @return the file this document was parsed from */
    public Path file() {
        return file;
    }

    /** @return the names of all sections except {@code DEFAULT}, in file order */
    public List<String> sectionNames() {
        return sections.keySet().stream().filter(name -> !name.equals(DEFAULT_SECTION))
                .collect(Collectors.toUnmodifiableList());
    }

    /** @return whether a section other than {@code DEFAULT} has this exact (case-sensitive) name */
    public boolean hasSection(String name) {
        return !name.equals(DEFAULT_SECTION) && sections.containsKey(name);
    }

    /**
     * The options written in one section, without inherited values.
     *
     * @param name a section name, or {@link #DEFAULT_SECTION} (empty if the file has none)
     * @return the raw options in file order, by lower-case name
     * @throws NoSuchElementException if there is no such section
     */
    public Map<String, IniOption> options(String name) {
        return Collections.unmodifiableMap(find(name).options());
    }

    /**
     * A view of one section with inherited values, as Python's {@code ConfigParser} sees it when
     * it was created with {@code builtInDefaults} as its defaults.
     *
     * @param name a section name, or {@link #DEFAULT_SECTION}
     * @param builtInDefaults the program's defaults, under {@code [DEFAULT]}; their iteration order
     *     is kept in {@link IniSection#optionNames()}
     * @throws NoSuchElementException if there is no such section
     */
    public IniSection section(String name, Map<String, String> builtInDefaults) {
        Section own = find(name);
        Section defaults = name.equals(DEFAULT_SECTION) ? null : sections.getOrDefault(DEFAULT_SECTION, ABSENT_DEFAULT);
        return new IniSection(file, name, own.headerLine(), builtInDefaults,
                defaults == null ? Map.of() : defaults.options(), own.options());
    }

    private Section find(String name) {
        Section section = sections.get(name);
        if (section == null && name.equals(DEFAULT_SECTION)) {
            return ABSENT_DEFAULT;
        }
        if (section == null) {
            throw new NoSuchElementException("no section [" + name + "] in " + file);
        }
        return section;
    }
}
