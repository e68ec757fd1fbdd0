"""A real HTTPS server on loopback for the end-to-end tests: nginx
(Debian's nginx-light) on a free port, with a test CA and certificates made
here with the openssl command in a temporary directory. Standard library
only; nothing here touches the internet.

    pki = Pki(dir)                       a CA; pki.issue(name, sans, ...) -> (cert, key)
    Nginx(dir, servers).start()          one server block per dict of `servers`
"""

import os
import shutil
import subprocess
import time

from harness import free_port, tcp_listening

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"


def sh(*args, cwd=None):
    subprocess.run(list(args), check=True, cwd=cwd, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)


class Pki:
    """A CA of the tests' own, and certificates signed by it (or not)."""

    def __init__(self, directory):
        self.dir = directory
        self.ca_key = os.path.join(directory, "ca.key")
        self.ca = os.path.join(directory, "ca.pem")
        sh(OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", self.ca_key,
           "-out", self.ca, "-days", "30", "-subj", "/CN=dmarc-doctor test CA",
           "-addext", "basicConstraints=critical,CA:TRUE",
           "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        # `openssl ca` for certificates with chosen dates (an expired one)
        self.db = os.path.join(directory, "ca-db")
        os.makedirs(os.path.join(self.db, "new"))
        open(os.path.join(self.db, "index.txt"), "w").close()
        with open(os.path.join(self.db, "serial"), "w") as f:
            f.write("1000\n")

    def issue(self, name, sans, self_signed=False, start=None, end=None, extra_ext=None):
        """A certificate for `sans` (DNS names); returns (cert path, key path)."""
        key = os.path.join(self.dir, name + ".key")
        cert = os.path.join(self.dir, name + ".pem")
        csr = os.path.join(self.dir, name + ".csr")
        ext = os.path.join(self.dir, name + ".ext")
        with open(ext, "w") as f:
            f.write("[v3]\nsubjectAltName=" + ",".join("DNS:" + s for s in sans) + "\n")
            f.write("basicConstraints=CA:FALSE\n")
            if extra_ext:
                f.write(extra_ext + "\n")
        subj = "/CN=" + sans[0]
        if self_signed:
            sh(OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
               cert, "-days", "30", "-subj", subj, "-extensions", "v3", "-config", self._req_conf(ext))
            return cert, key
        sh(OPENSSL, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr,
           "-subj", subj)
        if start or end:
            conf = os.path.join(self.dir, name + ".ca.cnf")
            with open(conf, "w") as f:
                f.write(f"""[ca]
default_ca = test
[test]
dir = {self.db}
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
""")
            sh(OPENSSL, "ca", "-batch", "-config", conf, "-cert", self.ca, "-keyfile", self.ca_key,
               "-in", csr, "-out", cert, "-startdate", start, "-enddate", end, "-extfile", ext,
               "-extensions", "v3", "-notext")
        else:
            sh(OPENSSL, "x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", self.ca_key,
               "-CAcreateserial", "-out", cert, "-days", "30", "-extfile", ext, "-extensions", "v3")
        return cert, key

    def _req_conf(self, ext):
        conf = ext + ".req.cnf"
        with open(ext) as src, open(conf, "w") as f:
            f.write("[req]\ndistinguished_name=dn\n[dn]\n" + src.read())
        return conf


class Nginx:
    """nginx on 127.0.0.1:<free port>; `servers` is a list of dicts:
    {"name": "mta-sts.good.test", "cert": ..., "key": ..., "locations": "nginx text"}."""

    def __init__(self, directory, servers):
        self.dir = directory
        self.servers = servers
        self.port = None
        self.proc = None

    def start(self):
        self.port = free_port()
        conf = os.path.join(self.dir, "nginx.conf")
        user = "user root;\n" if os.geteuid() == 0 else ""
        blocks = []
        for i, s in enumerate(self.servers):
            default = " default_server" if i == 0 else ""
            blocks.append(f"""    server {{
        listen 127.0.0.1:{self.port} ssl{default};
        server_name {s["name"]};
        ssl_certificate {s["cert"]};
        ssl_certificate_key {s["key"]};
{s.get("locations", "")}
    }}
""")
        with open(conf, "w") as f:
            f.write(f"""{user}worker_processes 1;
daemon off;
master_process off;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log info;
events {{ worker_connections 64; }}
http {{
    # the request and the Cookie header it carried (the fetches send none)
    log_format dd '$host "$request" $status cookie="$http_cookie"';
    access_log {self.dir}/access.log dd;
    client_body_temp_path {self.dir}/body;
    proxy_temp_path {self.dir}/proxy;
    fastcgi_temp_path {self.dir}/fastcgi;
    uwsgi_temp_path {self.dir}/uwsgi;
    scgi_temp_path {self.dir}/scgi;
    default_type application/octet-stream;
    types {{ text/plain txt; image/svg+xml svg; application/x-pem-file pem; }}
{"".join(blocks)}}}
""")
        self.proc = subprocess.Popen([NGINX, "-p", self.dir, "-c", conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nginx exited: " + self.proc.stderr.read().decode())
            if tcp_listening(self.port):
                return self
            time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def requests(self):
        """Lines of the access log (one per request served)."""
        try:
            with open(os.path.join(self.dir, "access.log")) as f:
                return f.read().splitlines()
        except OSError:
            return []

    def stop(self):
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc.stderr.close()
