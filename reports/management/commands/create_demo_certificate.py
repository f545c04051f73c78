"""`manage.py create_demo_certificate`: a demo key and certificate for signing issued documents, kept out of the repo.

Writes, into `--directory` (default `settings.DOCUMENT_SIGNING_DEMO_DIRECTORY`:
`$XDG_DATA_HOME/coop-tracker/signing`, or `~/.local/share/coop-tracker/signing`):

- `demo-root.pem`: a self-signed root, "Demo Root CA – not for real documents", that nobody trusts
  unless told to (a PDF reader, a test);
- `demo-agency.p12`: the key of "Bộ Khoa học và Công nghệ" and its certificate, issued by that root
  for digital signatures with non-repudiation, encrypted with
- `demo-agency.passphrase`: a random passphrase, readable by its owner alone.

In development (coop/settings.py) documents are signed with these files when they are there and the
environment names no other. Real documents are signed with a certificate from a licensed Vietnamese
certification authority, configured in production by DOCUMENT_SIGNING_PKCS12 and its passphrase.
"""

import datetime
import os
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ROOT_FILE = "demo-root.pem"
PKCS12_FILE = "demo-agency.p12"
PASSPHRASE_FILE = "demo-agency.passphrase"

ROOT_NAME = "Demo Root CA – not for real documents"
AGENCY_NAME = "Bộ Khoa học và Công nghệ"
# Long enough for a demo kept for years, short enough to be replaced before it is mistaken for a real one.
ROOT_VALIDITY = datetime.timedelta(days=10 * 365)
AGENCY_VALIDITY = datetime.timedelta(days=3 * 365)
# Certificates valid from a little before now, so that a clock a few minutes behind still accepts them.
CLOCK_SKEW = datetime.timedelta(minutes=10)
KEY_SIZE = 3072


class Command(BaseCommand):
    help = (
        "Create a demo signing certificate for issued documents: a self-signed demo root (demo-root.pem) and a "
        "certificate of the Ministry issued by it, with its key, in a PKCS#12 file (demo-agency.p12) whose random "
        "passphrase is in demo-agency.passphrase. Not for real documents."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="Where to write the files (default: $XDG_DATA_HOME/coop-tracker/signing, outside the repository).",
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Leave the files alone when they are already there (otherwise they are replaced).",
        )

    def handle(self, *args, directory, if_missing, **options):
        directory = (directory or Path(settings.DOCUMENT_SIGNING_DEMO_DIRECTORY)).expanduser().resolve()
        files = [directory / name for name in (ROOT_FILE, PKCS12_FILE, PASSPHRASE_FILE)]
        if if_missing and all(path.exists() for path in files):
            self.stdout.write(f"The demo signing certificate is already in {directory}; left as it is.")
        else:
            try:
                directory.mkdir(mode=0o700, parents=True, exist_ok=True)
                write_demo_certificate(directory)
            except OSError as error:
                raise CommandError(f"Cannot write the demo signing certificate into {directory}: {error}") from error
            self.stdout.write(self.style.SUCCESS(f"Demo signing certificate written into {directory}."))
        self.stdout.write("To sign issued documents with it, set in the environment (or .env):")
        self.stdout.write(f"DOCUMENT_SIGNING_PKCS12={directory / PKCS12_FILE}")
        self.stdout.write(f"DOCUMENT_SIGNING_PASSPHRASE_FILE={directory / PASSPHRASE_FILE}")
        self.stdout.write(
            f"A PDF reader trusts the signatures only once told to trust {directory / ROOT_FILE}: a demo, not for "
            "real documents."
        )


def write_demo_certificate(directory: Path, *, valid_from: datetime.datetime | None = None) -> None:
    """Writes the demo root, the agency's PKCS#12 file and its passphrase into `directory`.

    Both certificates are valid from `valid_from` (default: a few minutes ago) for years.
    """
    start = valid_from or datetime.datetime.now(datetime.UTC) - CLOCK_SKEW
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    root_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, ROOT_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "S&T cooperation programmes tracker (demo)"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    root_certificate = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + ROOT_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )

    agency_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    agency_certificate = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, AGENCY_NAME),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, AGENCY_NAME),
                    x509.NameAttribute(NameOID.LOCALITY_NAME, "Hà Nội"),
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                ]
            )
        )
        .issuer_name(root_name)
        .public_key(agency_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + AGENCY_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # nonRepudiation ("content commitment"): the signer stands by what the document says.
        .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(agency_key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )

    passphrase = secrets.token_urlsafe(24)
    pkcs12_data = pkcs12.serialize_key_and_certificates(
        name=b"demo-agency",
        key=agency_key,
        cert=agency_certificate,
        cas=[root_certificate],
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )
    _write_private(directory / PASSPHRASE_FILE, passphrase.encode() + b"\n")
    _write_private(directory / PKCS12_FILE, pkcs12_data)
    (directory / ROOT_FILE).write_bytes(root_certificate.public_bytes(serialization.Encoding.PEM))


def _key_usage(**allowed: bool) -> x509.KeyUsage:
    """A KeyUsage extension allowing only the uses named."""
    uses = (
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    )
    return x509.KeyUsage(**{use: allowed.get(use, False) for use in uses})


def _write_private(path: Path, data: bytes) -> None:
    """Writes `data` into a file that its owner alone may read (mode 0600), whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        # An existing file keeps its mode through O_CREAT: set it again.
        os.fchmod(file.fileno(), 0o600)
        file.write(data)
