# Plays systemd/inetd for the --socket test: opens a listening IPv6 socket as file descriptor 3,
# prints its port, then runs the given command with the socket inherited.
import os
import socket
import sys

s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.bind(("::1", 0))
s.listen(16)
print("port", s.getsockname()[1], flush=True)
os.dup2(s.fileno(), 3)
os.set_inheritable(3, True)
os.execv(sys.argv[1], sys.argv[1:])
