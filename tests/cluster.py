"""The local rig of issue 20, all on loopback and started and stopped by the tests: an S3 server
(moto), two `streamlit run` servers sharing one store in it, and nginx in front of them with sticky
sessions (a cookie naming the server, set on the first answer). docs/deploy.md shows the same
nginx configuration for a real deployment."""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

from serve import free_port, streamlit_server, wait_healthy

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# Sticky sessions with open-source nginx: the first answer sets a cookie naming a route (its
# request id), and every later request, the websocket and uploads included, is hashed on that
# route (the cookie is set once: a later answer setting another would move the browser's uploads
# to a server that does not know its session).
NGINX_CONF = """
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    # the upload address carries the browser's session id: never written to the log
    map $request_uri $swg_logged_uri {{ ~^/_stcore/upload_file/ "/_stcore/upload_file/-"; default $request_uri; }}
    log_format swgdash '$remote_addr [$time_local] "$request_method $swg_logged_uri" $status $body_bytes_sent';
    access_log {prefix}/access.log swgdash;
    limit_req_zone $binary_remote_addr zone=swguploads:1m rate=30r/m;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 200m;
    map $cookie_swgroute $swgroute {{ "" $request_id; default $cookie_swgroute; }}
    map $cookie_swgroute $swgset {{ "" "swgroute=$request_id; Path=/; HttpOnly; SameSite=Lax"; default ""; }}
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    upstream swgdash {{
        hash $swgroute consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location = /_stcore/metrics {{ return 404; }}  # Streamlit's metrics: not from outside
        location /_stcore/upload_file/ {{  # uploads: a second wall in front of the app's own
            limit_req zone=swguploads burst=20 nodelay;
            error_log {prefix}/upload-error.log crit;  # (its warnings would name the session id)
            client_max_body_size 60m;
            proxy_pass http://swgdash;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_request_buffering off;  # the app refuses a visitor's upload before its body is read
        }}
        location / {{
            proxy_pass http://swgdash;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;  # (with the port: Streamlit checks an upload's origin against it)
            proxy_read_timeout 86400;
            add_header Set-Cookie $swgset always;  # only on the first answer: later ones keep the route
        }}
    }}
}}
"""


@contextlib.contextmanager
def nginx(upstreams: list[str], folder: Path):
    """nginx on a free loopback port in front of `upstreams` (http://127.0.0.1:PORT); yields its address."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    servers = "\n".join(f"        server {u.removeprefix('http://')};" for u in upstreams)
    conf = folder / "nginx.conf"
    # started as root, nginx's workers would run as nobody, who cannot write this folder's temporary files
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(NGINX_CONF.format(prefix=folder, servers=servers, port=port, user=user))
    proc = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=open(folder / "stderr.log", "w"))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, 20, folder / "stderr.log", "nginx")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def s3_env(endpoint: str) -> dict:
    return {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": "us-east-1"}


@contextlib.contextmanager
def cluster(folder: Path, store: str, endpoint: str, env: dict | None = None, servers: int = 2):
    """`servers` streamlit servers on the store at `store`, each with its own local folder, behind
    nginx; yields (the balancer's address, [each server's address])."""
    with contextlib.ExitStack() as stack:
        urls = []
        for n in range(servers):
            home = folder / f"server-{n}" / "home"
            home.parent.mkdir(parents=True, exist_ok=True)
            e = {**s3_env(endpoint), "SWGDASH_CACHE": str(home.parent / "cache"), **(env or {})}
            urls.append(stack.enter_context(streamlit_server(home, env=e, store=store)))
        balancer = stack.enter_context(nginx(urls, folder / "nginx"))
        yield balancer, urls
