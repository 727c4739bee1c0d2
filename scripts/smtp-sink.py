#!/usr/bin/env python3
"""A real SMTP server for the tests (aiosmtpd): accepts every message and
keeps each as <dir>/<pid>-<n>.eml (the bytes received) and
<dir>/<pid>-<n>.json (envelope, and the headers and text and HTML parts
decoded by Python's email package), each written whole (a temporary file
renamed), so a test reads exactly what a mail server received.

    python3 scripts/smtp-sink.py --port 2525 --dir /tmp/mails [--delay-first-ms 3000]

--delay-first-ms: after the first message is stored, wait that long before
answering 250 (a test kills the sending server meanwhile: the message was
received but the sender never heard so).
Installed by scripts/test (pip install aiosmtpd) when missing.
"""

import argparse
import asyncio
import email
import email.policy
import itertools
import json
import os
import signal

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, folder, delay):
        self.folder = folder
        self.delay = delay
        self.seq = itertools.count(1)

    def write(self, name, data):
        tmp = os.path.join(self.folder, f".{name}.tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, os.path.join(self.folder, name))

    async def handle_DATA(self, server, session, envelope):
        n = next(self.seq)
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        decoded = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "messageId": str(message["Message-ID"]),
            "contentType": message.get_content_type(),
            "text": text.get_content() if text else None,
            "html": html.get_content() if html else None,
        }
        base = f"{os.getpid()}-{n}"
        self.write(base + ".eml", raw)
        self.write(base + ".json", json.dumps(decoded, ensure_ascii=False).encode())
        if self.delay and n == 1:
            await asyncio.sleep(self.delay / 1000)
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--delay-first-ms", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(
        Keep(args.dir, args.delay_first_ms),
        hostname="127.0.0.1",
        port=args.port,
        decode_data=False,
    )
    controller.start()
    print(f"listening on 127.0.0.1:{args.port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
