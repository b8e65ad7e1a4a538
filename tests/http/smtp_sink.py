"""A real SMTP server on loopback for the e-mail tests (Debian's
python3-aiosmtpd).  Every message it accepts is written to DIR as
N.eml (the bytes received after DATA) beside N.json (the envelope), the
.json written last, by rename, so a reader never sees half a message.

    python3 tests/http/smtp_sink.py DIR [PORT]

Listens on 127.0.0.1:PORT (0 or none: a free port) and prints
"listening PORT" once it accepts connections.  Stops on SIGTERM."""
import asyncio
import json
import os
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # A mailbox that does not exist, for the test of a permanent refusal.
        if address.startswith("nobody-here@"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, f"{os.getpid()}-{self.count:05d}")
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json.tmp", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        os.rename(base + ".json.tmp", base + ".json")
        return "250 Message accepted for delivery"


async def main():
    folder = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    os.makedirs(folder, exist_ok=True)
    sink = Sink(folder)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(sink, decode_data=False, hostname="sink.test"),
                                      "127.0.0.1", port)
    print("listening", server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
