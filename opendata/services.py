"""Writes of the open data: a new bulk download, and the old ones let go."""

import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from opendata.dump import write_package
from opendata.models import OpenDataDump

# How many downloads are kept (the newest); older files are deleted.
DUMPS_KEPT = 5


def open_data_dump_create(*, keep: int = DUMPS_KEPT) -> OpenDataDump:
    """Write the zip of the published programmes' data (`opendata.dump`), store it under MEDIA_ROOT/open-data/ and
    record it; then delete all but the `keep` newest downloads.

    The zip is written whole into a temporary file first: a download is listed only once its file is complete,
    and its size and SHA-256 are those of the bytes stored.
    """
    if keep < 1:
        raise ValueError("At least the new download is kept.")
    with tempfile.TemporaryFile() as spool:
        package = write_package(spool)
        spool.seek(0)
        name = timezone.localtime().strftime("coop-open-data-%Y%m%d-%H%M%S.zip")
        dump = OpenDataDump(size=package.size, sha256=package.sha256, row_counts=package.row_counts)
        dump.file.save(name, File(spool, name=name), save=False)
    try:
        with transaction.atomic():
            dump.full_clean()
            dump.save()
    except Exception:
        # Without its row nothing would ever list or delete the file.
        dump.file.storage.delete(dump.file.name)
        raise
    open_data_dumps_prune(keep=keep)
    return dump


def open_data_dumps_prune(*, keep: int) -> int:
    """Delete every download but the `keep` newest, their files once the deletion is committed; how many went."""
    with transaction.atomic():
        old = list(OpenDataDump.objects.order_by("-created_at", "-pk")[keep:])
        for dump in old:
            storage, name = dump.file.storage, dump.file.name
            dump.delete()
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    return len(old)
