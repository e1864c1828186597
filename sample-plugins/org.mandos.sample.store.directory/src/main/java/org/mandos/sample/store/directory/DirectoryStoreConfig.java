package org.mandos.sample.store.directory;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of {@link DirectoryClientStore}, PID {@value DirectoryClientStore#PID}. Property
 * names: {@code directory}, {@code name}, {@code settle_millis} (the method {@code settle__millis} maps
 * to {@code settle_millis}: a single underscore in a method name would stand for a dot).
 */
@ObjectClassDefinition(id = DirectoryClientStore.PID, name = "Mandos directory client store",
        description = "Clients defined by one file NAME.conf each in a directory, in the clients.conf option syntax.")
public @interface DirectoryStoreConfig {

    @AttributeDefinition(name = "Directory",
            description = "Absolute path of the directory that holds one NAME.conf file per client.")
    String directory();

    @AttributeDefinition(name = "Store name",
            description = "The store's name (service property mandos.store.name), used in log lines.")
    String name() default "directory";

    @AttributeDefinition(name = "Settle time (ms)", min = "0",
            description = "How long the directory must be quiet after a change before it is read again.")
    long settle__millis() default 300;
}
