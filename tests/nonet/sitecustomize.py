"""Loaded by every Python process of the test run (PYTHONPATH): no network use at all.

`make test` also runs the suite in a network namespace with no interfaces
(`unshare -n`) where it can; this blocker holds where it cannot (no root). Local
(AF_UNIX) sockets, which PulseAudio uses, stay allowed.
"""

import socket

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_sendto = socket.socket.sendto
_BLOCKED = {socket.AF_INET, socket.AF_INET6}


class NetworkBlocked(OSError):
    pass


def _check(sock: socket.socket, address) -> None:
    if sock.family in _BLOCKED:
        raise NetworkBlocked(f"mock-interview's tests forbid network use (tried {address!r})")


def _connect(self, address):
    _check(self, address)
    return _real_connect(self, address)


def _connect_ex(self, address):
    _check(self, address)
    return _real_connect_ex(self, address)


def _sendto(self, *args):
    _check(self, args[-1])
    return _real_sendto(self, *args)


socket.socket.connect = _connect
socket.socket.connect_ex = _connect_ex
socket.socket.sendto = _sendto
