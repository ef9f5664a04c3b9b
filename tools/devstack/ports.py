"""Is a port free? Checked before anything starts, so a clash is named at once."""

import socket


def port_taken(port: int) -> bool:
    """True when something listens on `port` (IPv4 on any address, or IPv6 loopback)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))  # noqa: S104 (the services listen there too)
        except OSError:
            return True
    for family, address in ((socket.AF_INET6, "::1"), (socket.AF_INET, "127.0.0.1")):
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.2)
            try:
                probe.connect((address, port))
            except OSError:
                continue
            return True
    return False
