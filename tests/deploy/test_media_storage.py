"""With a media bucket configured, uploaded images and documents go to S3-compatible
storage, privately, so no web container keeps files on its disk."""

import uuid

from tests.databases import manage
from tests.s3 import KEYS, REGION

SAVE_A_DOCUMENT = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
name = default_storage.save("documents/intake-form.pdf", ContentFile(b"%PDF-1.7 form"))
print(name)
print(default_storage.url(name))
"""


def test_media_go_to_the_bucket_with_expiring_signed_links(s3_endpoint, s3, tmp_path):
    bucket = f"h7-media-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)

    result = manage(
        "shell",
        "-c",
        SAVE_A_DOCUMENT,
        env={
            "MEDIA_S3_BUCKET": bucket,
            "MEDIA_S3_ENDPOINT_URL": s3_endpoint,
            "MEDIA_S3_REGION": REGION,
            "MEDIA_S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
            "MEDIA_S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
            "MEDIA_ROOT": str(tmp_path),
        },
    )

    assert result.returncode == 0, result.stderr
    name, url = result.stdout.split()[-2:]
    stored = s3.get_object(Bucket=bucket, Key=f"media/{name}")
    assert stored["Body"].read() == b"%PDF-1.7 form"
    assert url.startswith(f"{s3_endpoint}/{bucket}/media/documents/")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=600" in url
    assert list(tmp_path.iterdir()) == []  # nothing on the web container's disk
    acl = s3.get_object_acl(Bucket=bucket, Key=f"media/{name}")
    assert all("AllUsers" not in str(grant["Grantee"]) for grant in acl["Grants"])
