# Runs a command on a pseudo-terminal, types Ctrl-C once `marker` shows up, and reports the
# terminal output (base64) and the command's exit code as JSON. Used by signals.test.ts.
import base64, fcntl, json, os, pty, select, struct, sys, termios, time

marker, argv = sys.argv[1].encode(), sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
# A new pty is 0x0; give it a real terminal's size (ora divides by the width).
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 100, 0, 0))
out, sent, started = b'', None, time.time()
while True:
    ready, _, _ = select.select([fd], [], [], 0.05)
    if ready:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    if sent is None and marker in out:
        os.write(fd, b'\x03')  # the terminal turns it into SIGINT for the foreground process
        sent = time.time()
    if time.time() - started > 8:
        os.kill(pid, 9)
        break
_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
ended = time.time()
print(json.dumps({'code': code, 'output': base64.b64encode(out).decode(), 'afterCtrlC': None if sent is None else round((ended - sent) * 1000)}))
