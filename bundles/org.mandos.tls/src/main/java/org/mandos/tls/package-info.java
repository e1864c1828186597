/**
 * Mandos over TLS 1.3 with RFC 7250 raw public keys, on Bouncy Castle's TLS API.
 *
 * <p>Roles are reversed in Mandos: the server connects as TLS <em>client</em>
 * ({@link org.mandos.tls.RawKeyTlsClient}) to a Mandos client that is the TLS <em>server</em>
 * ({@link org.mandos.tls.RawKeyTlsServer}) and presents a raw public key, identified by its
 * {@linkplain org.mandos.tls.KeyIds key ID}. {@link org.mandos.tls.TlsPolicy} reads GnuTLS priority strings;
 * {@link org.mandos.tls.KeyFiles} reads and makes the client's key files. Failures are
 * {@link org.mandos.tls.TlsFailure}s with one-line messages that never contain secret data.
 */
@Export
@Version("1.2.0")
package org.mandos.tls;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
