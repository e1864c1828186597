package org.mandos.launcher;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code --version}: the project version from the jar manifest. */
final class Version implements IVersionProvider {

    static String text() {
        String version = Version.class.getPackage().getImplementationVersion();
        return "mandos " + (version == null ? "(development build)" : version) + " (Java)";
    }

    @Override
    public String[] getVersion() {
        return new String[] {text()};
    }
}
