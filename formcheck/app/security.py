"""Who may use the app: a one-time token in the URL (then a cookie), and HTTPS off this computer.

Browsers give the camera only to secure pages: localhost counts as secure, a phone on the local
network needs HTTPS. The certificate is made on first use (self-signed, for this computer's names
and addresses) and kept in the user config folder; the phone's browser asks once to trust it.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import secrets
import socket
from pathlib import Path

COOKIE = "formcheck_token"


def new_token() -> str:
    return secrets.token_urlsafe(18)


def token_ok(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def lan_address() -> str:
    """This computer's address on the local network (the route a packet would take; nothing is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere, only asks for the route
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def ensure_certificate(folder: Path, addresses: list[str]) -> tuple[Path, Path]:
    """(certificate, key) PEM files, made once for `addresses` and this host's name."""
    cert, key = folder / "app-cert.pem", folder / "app-key.pem"
    if cert.is_file() and key.is_file():
        return cert, key
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "formcheck on " + socket.gethostname())])
    alt: list[x509.GeneralName] = [x509.DNSName("localhost"), x509.DNSName(socket.gethostname())]
    for a in {*addresses, "127.0.0.1"}:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(a)))
        except ValueError:
            alt.append(x509.DNSName(a))
    now = dt.datetime.now(dt.timezone.utc)
    built = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=825))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .sign(private, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key.chmod(0o600)
    cert.write_bytes(built.public_bytes(serialization.Encoding.PEM))
    return cert, key


def qr_text(url: str) -> str | None:
    """The URL as a QR code for a terminal, for the phone's camera to open (None without segno)."""
    try:
        import io

        import segno
    except ImportError:
        return None
    out = io.StringIO()
    segno.make(url, error="l").terminal(out=out, compact=True)
    return out.getvalue()
