#!/bin/bash
# Install the REAL Debian reference implementation of Mandos (Debian 12
# packages "mandos" and "mandos-client", 1.8.16) for interoperability tests.
#
# The packages are NOT installed with dpkg -i (mandos-client would drag in
# cryptsetup/initramfs tooling and the server would start as a daemon): they
# are downloaded and extracted with "dpkg -x" into a scratch directory.  Only
# their runtime dependencies are installed through apt.
#
# Usage (as root, on Debian 12):
#   .ci/install-reference.sh [DEST]
# DEST defaults to $MANDOS_REFERENCE_DIR, or else /opt/mandos-reference.
# Idempotent: running it again re-extracts the same packages over DEST.
#
# Layout afterwards (paths relative to DEST):
#   usr/sbin/mandos-keygen                             key/clients.conf tool (sh)
#   usr/lib/x86_64-linux-gnu/mandos/plugins.d/mandos-client     the client
#   usr/lib/x86_64-linux-gnu/mandos/plugin-helpers/             set
#        MANDOSPLUGINHELPERDIR to this when running mandos-client
#   usr/sbin/mandos, usr/sbin/mandos-ctl               the Python server/tools
#        (run them with /usr/bin/python3)
#   etc/dbus-1/system.d/mandos.conf                    D-Bus policy of the server
#   network-hooks.d/                                   an EMPTY directory, for
#        mandos-client --network-hook-dir=DEST/network-hooks.d
set -euo pipefail

DEST="${1:-${MANDOS_REFERENCE_DIR:-/opt/mandos-reference}}"
VERSION="1.8.16-1"

if [ "$(id -u)" -ne 0 ]; then
    echo "$0: must run as root" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# Runtime dependencies.
#  - mandos-client binary: libavahi-core7 libavahi-common3 libgnutls30
#    libgpgme11 libnl-3-200 libnl-route-3-200 libglib2.0-0, and gpg (gnupg)
#    which GPGME runs to decrypt.
#  - mandos-keygen (/bin/sh script): certtool (gnutls-bin), gpg (gnupg),
#    getopt/shred/mktemp (util-linux, coreutils), sed, hostname; openssl is
#    its fallback for the TLS public key and key_id.
#  - Python server and tools: python3 python3-dbus python3-gi python3-urwid,
#    a D-Bus daemon (dbus), and gnutls (the server loads libgnutls.so.30).
#  - iproute2/procps/util-linux (setpriv): for tests that drive these tools.
PACKAGES=(
    ca-certificates
    libavahi-core7 libavahi-common3 libgnutls30 libgpgme11
    libnl-3-200 libnl-route-3-200 libglib2.0-0
    gnutls-bin gnupg
    coreutils util-linux sed hostname openssl
    python3 python3-dbus python3-gi python3-urwid dbus
    iproute2 procps
    # /usr/sbin/sshd and ssh-keygen: the SSH host-key checker sample tests against a real OpenSSH server.
    openssh-server
    # avahi-daemon, avahi-browse: the Avahi announcer tests run a private avahi-daemon (bus and netns of their own).
    avahi-daemon avahi-utils
)

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
            | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The _mandos system user and group (the server drops privileges to it; the
# client, when run as root, drops to it too).
if ! getent group _mandos >/dev/null; then
    groupadd --system _mandos
fi
if ! getent passwd _mandos >/dev/null; then
    useradd --system --gid _mandos --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin --comment "Mandos password system" _mandos
fi

# Download and extract the two packages.
work="$(mktemp -d -t mandos-reference.XXXXXXXXXX)"
trap 'rm -rf "$work"' EXIT
# apt-get download drops to the _apt user, which must be able to write here
chmod 0755 "$work"
if getent passwd _apt >/dev/null; then chown _apt "$work"; fi
(
    cd "$work"
    if ! apt-get download -qq "mandos=$VERSION" "mandos-client=$VERSION" \
            2>/dev/null; then
        apt-get update -qq
        apt-get download -qq "mandos=$VERSION" "mandos-client=$VERSION"
    fi
)
mkdir -p "$DEST"
for deb in "$work"/mandos_*.deb "$work"/mandos-client_*.deb; do
    dpkg -x "$deb" "$DEST"
done

# An empty directory to pass as --network-hook-dir, so that mandos-client
# runs no network hooks (its default, /lib/mandos/network-hooks.d, may not
# exist here, which it tolerates, but an explicit empty one is clearer).
mkdir -p "$DEST/network-hooks.d"

# Record what was extracted.
printf 'mandos %s\nmandos-client %s\n' "$VERSION" "$VERSION" > "$DEST/VERSION"

echo "Mandos reference $VERSION extracted to $DEST" \
     "(client: $DEST/usr/lib/x86_64-linux-gnu/mandos/plugins.d/mandos-client," \
     "keygen: $DEST/usr/sbin/mandos-keygen, server: $DEST/usr/sbin/mandos)"
