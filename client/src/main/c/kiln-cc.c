/*
 * kiln-cc's native front: what bin/kiln-cc does, without bash or curl on the hot path.
 * Usage: kiln-cc-native COMPILER ARGS...  (bin/kiln-cc execs it when it has been built).
 * Sends cwd and argv (NUL-separated) to the local proxy's POST /compile on 127.0.0.1:$KILN_PROXY_PORT
 * (default 8088). "X-Kiln-Run: remote" -> print its stdout and stderr, exit with its status.
 * Anything else (run it locally, or no proxy) -> exec the compiler unchanged; with no proxy, start
 * one first (unless KILN_NO_AUTOSTART is set) by running KILN_PROXY_START in the background.
 * The proxy compiles only for callers that send its per-user secret (X-Kiln-Secret), read here from
 * $XDG_RUNTIME_DIR/kiln/proxy-PORT.secret when XDG_RUNTIME_DIR is a directory, else
 * $HOME/.cache/kiln/proxy-PORT.secret; a file that is not ours or readable by others is not used
 * (the proxy then answers 403 and the compile runs here).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static void run_locally(char **argv) {
  execvp(argv[0], argv);
  fprintf(stderr, "kiln-cc: cannot run %s: %s\n", argv[0], strerror(errno));
  exit(127);
}

/* The socket side: send() with MSG_NOSIGNAL, so a proxy that answers early and closes is an error, not SIGPIPE. */
static int send_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* The proxy's secret (64 hex digits) into out[65]; "" when there is none we trust. */
static void read_secret(int port, char out[65]) {
  out[0] = '\0';
  char path[4096];
  const char *runtime = getenv("XDG_RUNTIME_DIR");
  struct stat st;
  if (runtime != NULL && runtime[0] != '\0' && stat(runtime, &st) == 0 && S_ISDIR(st.st_mode)) {
    snprintf(path, sizeof path, "%s/kiln/proxy-%d.secret", runtime, port);
  } else {
    const char *home = getenv("HOME");
    if (home == NULL || home[0] == '\0') {
      struct passwd *pw = getpwuid(getuid());
      home = pw != NULL ? pw->pw_dir : "/";
    }
    snprintf(path, sizeof path, "%s/.cache/kiln/proxy-%d.secret", home, port);
  }
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return;
  char buf[128];
  ssize_t n = -1;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == getuid() && (st.st_mode & 077) == 0) {
    n = read(fd, buf, sizeof buf - 1);
  }
  close(fd);
  if (n < 64) return;
  for (int i = 0; i < 64; i++) {
    char c = buf[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return;
  }
  memcpy(out, buf, 64);
  out[64] = '\0';
}

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* The launcher that starts a proxy when none runs: `bin/kiln install-client` bakes its checkout's in. */
#ifndef KILN_PROXY_START_DEFAULT
#define KILN_PROXY_START_DEFAULT ""
#endif

/* Starts the proxy in the background, detached, output to a log; never waits for it. */
static void autostart(const char *port) {
  const char *start = getenv("KILN_PROXY_START");
  if (start == NULL || start[0] == '\0') start = KILN_PROXY_START_DEFAULT;
  if (getenv("KILN_NO_AUTOSTART") != NULL || start[0] == '\0') return;
  pid_t pid = fork();
  if (pid != 0) return;
  setsid();
  if (fork() != 0) _exit(0);
  const char *tmp = getenv("TMPDIR");
  char log[4096];
  snprintf(log, sizeof log, "%s/kiln-proxy-%s.log", tmp != NULL ? tmp : "/tmp", port);
  int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  int null = open("/dev/null", O_RDONLY);
  if (fd >= 0) { dup2(fd, 1); dup2(fd, 2); }
  if (null >= 0) dup2(null, 0);
  execl(start, start, "proxy", "--port", port, (char *)NULL);
  _exit(127);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: kiln-cc COMPILER ARGS...\n");
    return 2;
  }
  char **compiler = argv + 1;
  const char *port = getenv("KILN_PROXY_PORT");
  if (port == NULL || port[0] == '\0') port = "8088";

  char cwd[8192];
  if (getcwd(cwd, sizeof cwd) == NULL) run_locally(compiler);
  size_t body_len = strlen(cwd) + 1;
  for (int i = 1; i < argc; i++) body_len += strlen(argv[i]) + 1;
  char *body = malloc(body_len);
  if (body == NULL) run_locally(compiler);
  size_t off = 0;
  memcpy(body + off, cwd, strlen(cwd) + 1);
  off += strlen(cwd) + 1;
  for (int i = 1; i < argc; i++) {
    size_t n = strlen(argv[i]) + 1;
    memcpy(body + off, argv[i], n);
    off += n;
  }

  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof addr) != 0) {
    autostart(port);
    run_locally(compiler);
  }
  int one = 1;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  char secret[65];
  read_secret(atoi(port), secret);
  char head[512];
  int hn = snprintf(head, sizeof head,
      "POST /compile HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Kiln-Secret: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
      secret, body_len);
  if (send_all(s, head, (size_t)hn) != 0 || send_all(s, body, body_len) != 0) run_locally(compiler);

  size_t cap = 1 << 16, len = 0;
  char *resp = malloc(cap);
  for (;;) {
    if (resp == NULL) run_locally(compiler);
    if (len == cap) {
      cap *= 2;
      resp = realloc(resp, cap);
      continue;
    }
    ssize_t r = read(s, resp + len, cap - len);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    len += (size_t)r;
  }
  close(s);
  char *end = NULL;
  for (size_t i = 0; i + 3 < len; i++) {
    if (memcmp(resp + i, "\r\n\r\n", 4) == 0) { end = resp + i; break; }
  }
  if (end == NULL) run_locally(compiler);
  *end = '\0';
  char *payload = end + 4;
  size_t payload_len = len - (size_t)(payload - resp);
  int remote = 0, status = 1, chunked = 0;
  size_t out_len = 0;
  for (char *line = strtok(resp, "\r\n"); line != NULL; line = strtok(NULL, "\r\n")) {
    /* remote: the farm ran it; ran-locally: race mode ran it in the proxy. Either way, print and exit. */
    if (strncasecmp(line, "x-kiln-run:", 11) == 0) remote = strstr(line + 11, "remote") != NULL || strstr(line + 11, "ran-locally") != NULL;
    else if (strncasecmp(line, "x-kiln-exit:", 12) == 0) status = atoi(line + 12);
    else if (strncasecmp(line, "x-kiln-stdout-length:", 21) == 0) out_len = strtoul(line + 21, NULL, 10);
    else if (strncasecmp(line, "transfer-encoding:", 18) == 0) chunked = strstr(line + 18, "chunked") != NULL;
  }
  if (!remote || chunked || out_len > payload_len) run_locally(compiler);
  write_all(1, payload, out_len);
  write_all(2, payload + out_len, payload_len - out_len);
  return status;
}
