"""Model lookup and download, against a real HTTP server on 127.0.0.1 (no mocks)."""

from __future__ import annotations

import http.server
import io
import os
import socket
import threading
import zipfile
from pathlib import Path

import pytest

from voice.modelfiles.catalog import CatalogEntry, Engine, ModelError, load_catalog
from voice.modelfiles.download import download
from voice.modelfiles.find import find_model, is_vosk_dir, model_problem


def _model_zip(with_structure: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        root = "vosk-model-tiny-test/"
        if with_structure:
            bundle.writestr(root + "am/final.mdl", os.urandom(200_000))
            bundle.writestr(root + "conf/model.conf", "--sample-frequency=16000\n")
        bundle.writestr(root + "README", "a test model")
    return buffer.getvalue()


class _LocalServer:
    """An HTTP server on 127.0.0.1 in a thread, for the lifetime of a `with` block."""

    def _serve(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        # shutdown() waits for the loop to look again: every 20 ms, not the default half second
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class _Server(_LocalServer):
    """Serves one payload with Range support; can cut the first response short."""

    def __init__(self, payload: bytes, cut_first_at: int | None = None):
        self.payload = payload
        self.cut_first_at = cut_first_at
        self.ranges: list[str | None] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                header = self.headers.get("Range")
                server.ranges.append(header)
                start = int(header.split("=")[1].split("-")[0]) if header else 0
                body = server.payload[start:]
                self.send_response(206 if header else 200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.cut_first_at is not None and len(server.ranges) == 1:
                    self.wfile.write(body[:server.cut_first_at])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.wfile.write(body)

        self._serve(Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/vosk-model-tiny-test.zip"


def _entry(url: str) -> CatalogEntry:
    return CatalogEntry("vosk-model-tiny-test", "en-us", url, 0.2, None, "test", True, "tests")


def test_catalog_lists_the_required_models_with_urls_and_licences():
    names = {entry.name: entry for entry in load_catalog()}
    for name in ("vosk-model-small-en-us-0.15", "vosk-model-en-us-0.22-lgraph"):
        assert names[name].url.endswith(name + ".zip")
        assert names[name].licence and names[name].size_mb > 0


def test_download_unpacks_the_model_and_reports_progress(tmp_path):
    seen = []
    with _Server(_model_zip()) as server:
        path = download(_entry(server.url), tmp_path, lambda done, total: seen.append((done, total)))
    assert path == tmp_path / "vosk-model-tiny-test" and is_vosk_dir(path)
    assert seen[-1][0] == seen[-1][1] and len(seen) > 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vosk-model-tiny-test"]


def test_an_interrupted_download_resumes_with_a_range_request(tmp_path):
    payload = _model_zip()
    with _Server(payload, cut_first_at=50_000) as server:
        with pytest.raises(ModelError, match="stopped early"):
            download(_entry(server.url), tmp_path)
        part = tmp_path / "vosk-model-tiny-test.zip.part"
        assert part.stat().st_size == 50_000
        path = download(_entry(server.url), tmp_path)
    assert server.ranges == [None, "bytes=50000-"]
    assert is_vosk_dir(path)


def test_an_archive_without_a_model_leaves_nothing_behind(tmp_path):
    with _Server(_model_zip(with_structure=False)) as server:
        with pytest.raises(ModelError, match="does not contain a vosk model"):
            download(_entry(server.url), tmp_path)
    assert not (tmp_path / "vosk-model-tiny-test").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_offline_gives_a_clear_message(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ModelError, match="offline"):
        download(_entry(f"http://127.0.0.1:{port}/x.zip"), tmp_path, timeout=2)


def _fake_model(path: Path) -> Path:
    (path / "am").mkdir(parents=True)
    (path / "conf").mkdir()
    return path


def test_lookup_order_is_flag_then_environment_then_local_then_user_folder(tmp_path, monkeypatch):
    catalog = load_catalog()
    monkeypatch.setenv("BACKCARE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BACKCARE_MODEL", raising=False)
    with pytest.raises(ModelError) as missing:
        find_model(Engine.VOSK, catalog=catalog, cwd=tmp_path)
    assert "./models" in str(missing.value) and "user data folder" in str(missing.value)
    user = _fake_model(tmp_path / "data" / "models" / "vosk-model-small-en-us-0.15")
    assert find_model(Engine.VOSK, catalog=catalog, cwd=tmp_path) == user
    local = _fake_model(tmp_path / "models" / "vosk-model-en-us-0.22-lgraph")
    assert find_model(Engine.VOSK, catalog=catalog, cwd=tmp_path) == local
    env = _fake_model(tmp_path / "env-model")
    monkeypatch.setenv("BACKCARE_MODEL", str(env))
    assert find_model(Engine.VOSK, catalog=catalog, cwd=tmp_path) == env
    flag = _fake_model(tmp_path / "flag-model")
    assert find_model(Engine.VOSK, str(flag), catalog=catalog, cwd=tmp_path) == flag


def test_the_vosk_model_looked_for_is_one_in_the_contents_language(tmp_path, monkeypatch):
    catalog = load_catalog()
    monkeypatch.setenv("BACKCARE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BACKCARE_MODEL", raising=False)
    korean = _fake_model(tmp_path / "models" / "vosk-model-small-ko-0.22")
    with pytest.raises(ModelError, match="No usable vosk model"):
        find_model(Engine.VOSK, language="en_US", catalog=catalog, cwd=tmp_path)
    assert find_model(Engine.VOSK, language="ko_KR", catalog=catalog, cwd=tmp_path) == korean
    english = _fake_model(tmp_path / "models" / "vosk-model-small-en-us-0.15")
    assert find_model(Engine.VOSK, language="en_GB", catalog=catalog, cwd=tmp_path) == english


def test_a_broken_explicit_model_is_an_error_naming_it(tmp_path):
    (tmp_path / "broken").mkdir()
    with pytest.raises(ModelError, match="broken"):
        find_model(Engine.VOSK, str(tmp_path / "broken"), catalog=load_catalog(), cwd=tmp_path)


class _FileServer(_LocalServer):
    """Serves a few named files, as a model's original home does for Whisper's four files."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                name = self.path.rsplit("/", 1)[-1]
                server.requests.append(name)
                if name not in server.files:
                    self.send_error(404)
                    return
                body = server.files[name]
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._serve(Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/whisper-test/resolve/main"


def _whisper_files() -> dict[str, bytes]:
    return {"model.bin": os.urandom(300_000), "config.json": b"{}", "tokenizer.json": b"{}",
            "vocabulary.txt": b"a\nb\n"}


def _whisper_entry(url: str, sha256: str) -> CatalogEntry:
    return CatalogEntry("whisper-test", "en", url, 0.3, sha256, "MIT", False, "tests", engine=Engine.WHISPER)


def test_a_whisper_download_fetches_each_file_and_checks_model_bin(tmp_path):
    import hashlib

    files = _whisper_files()
    entry_sha = hashlib.sha256(files["model.bin"]).hexdigest()
    with _FileServer(files) as server:
        path = download(_whisper_entry(server.url, entry_sha), tmp_path)
    assert sorted(server.requests) == sorted(files)
    assert path == tmp_path / "whisper-test"
    assert model_problem(path, Engine.WHISPER, [_whisper_entry("", entry_sha)]) is None
    assert [p.name for p in tmp_path.iterdir()] == ["whisper-test"]


def test_a_whisper_download_with_the_wrong_checksum_leaves_nothing_behind(tmp_path):
    with _FileServer(_whisper_files()) as server:
        with pytest.raises(ModelError, match="checksum mismatch"):
            download(_whisper_entry(server.url, "0" * 64), tmp_path)
    assert list(tmp_path.iterdir()) == []
