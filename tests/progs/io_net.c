// cflags: -O1 -g
/* io_net.c -- pipes, sockets and a terminal with exactly known transfers
   (argv[1]: a directory for the files):
   - pipe_io: 3 writes (5, 10, 15 bytes) into a pipe, one 30-byte read;
   - unix_pair: a socketpair, send 100 bytes, recv 100;
   - tcp_loopback: a TCP connection on 127.0.0.1: write 1000, recv 1000
     (MSG_WAITALL), sendmsg 30 (two buffers), recvmsg 30, and sendfile of
     a 2000-byte file into the connection (recv 2000 on the other side);
   - udp_batches: sendmmsg of 3 datagrams (10, 20, 30 bytes), recvmmsg 3;
   - copy_file: copy_file_range of the 2000-byte file into another;
   - terminal: 12 bytes written to a pseudo-terminal. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static char dir_buf[1024], path_buf[2048];

static const char* in_dir(const char* name)
{
   snprintf(path_buf, sizeof(path_buf), "%s/%s", dir_buf, name);
   return path_buf;
}

static void check(int ok, int code)
{
   if (!ok) { perror("io_net"); exit(code); }
}

__attribute__((noinline)) static void pipe_io(void)
{
   int p[2];
   char buf[64];
   check(pipe(p) == 0, 1);
   check(write(p[1], "aaaaa", 5) == 5, 2);
   check(write(p[1], "bbbbbbbbbb", 10) == 10, 3);
   check(write(p[1], "ccccccccccccccc", 15) == 15, 4);
   check(read(p[0], buf, sizeof(buf)) == 30, 5);
   close(p[0]);
   close(p[1]);
}

__attribute__((noinline)) static void unix_pair(void)
{
   int s[2];
   char buf[100];
   memset(buf, 'u', sizeof(buf));
   check(socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0, 10);
   check(send(s[0], buf, 100, 0) == 100, 11);
   check(recv(s[1], buf, 100, MSG_WAITALL) == 100, 12);
   close(s[0]);
   close(s[1]);
}

static int make_file(const char* name, int size)
{
   char* data = malloc(size);
   memset(data, 'f', size);
   int fd = open(in_dir(name), O_RDWR | O_CREAT | O_TRUNC, 0644);
   check(fd >= 0 && write(fd, data, size) == size, 20);
   free(data);
   return fd;
}

__attribute__((noinline)) static void tcp_loopback(void)
{
   struct sockaddr_in a = { 0 };
   socklen_t len = sizeof(a);
   char buf[2000];
   int l = socket(AF_INET, SOCK_STREAM, 0), c, s;
   a.sin_family = AF_INET;
   a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   check(bind(l, (struct sockaddr*)&a, sizeof(a)) == 0, 30);
   check(listen(l, 1) == 0, 31);
   check(getsockname(l, (struct sockaddr*)&a, &len) == 0, 32);
   c = socket(AF_INET, SOCK_STREAM, 0);
   check(connect(c, (struct sockaddr*)&a, sizeof(a)) == 0, 33);
   s = accept(l, NULL, NULL);
   check(s >= 0, 34);

   memset(buf, 't', sizeof(buf));
   check(write(c, buf, 1000) == 1000, 35);
   check(recv(s, buf, 1000, MSG_WAITALL) == 1000, 36);

   {
      struct iovec iov[2] = { { buf, 10 }, { buf + 10, 20 } };
      struct msghdr m = { 0 };
      m.msg_iov = iov;
      m.msg_iovlen = 2;
      check(sendmsg(c, &m, 0) == 30, 37);
      iov[0].iov_len = 30;
      m.msg_iovlen = 1;
      check(recvmsg(s, &m, MSG_WAITALL) == 30, 38);
   }

   {
      int f = make_file("send.bin", 2000);
      off_t off = 0;
      check(sendfile(c, f, &off, 2000) == 2000, 39);
      check(recv(s, buf, 2000, MSG_WAITALL) == 2000, 40);
      close(f);
   }
   close(c);
   close(s);
   close(l);
}

__attribute__((noinline)) static void udp_batches(void)
{
   struct sockaddr_in a = { 0 };
   socklen_t len = sizeof(a);
   char out[60], in[3][64];
   struct mmsghdr msgs[3];
   struct iovec iov[3];
   int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);
   a.sin_family = AF_INET;
   a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   check(bind(r, (struct sockaddr*)&a, sizeof(a)) == 0, 50);
   check(getsockname(r, (struct sockaddr*)&a, &len) == 0, 51);
   check(connect(w, (struct sockaddr*)&a, sizeof(a)) == 0, 52);
   memset(out, 'd', sizeof(out));
   memset(msgs, 0, sizeof(msgs));
   for (int i = 0; i < 3; i++) {
      iov[i].iov_base = out;
      iov[i].iov_len = 10 * (i + 1);
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
   }
   check(sendmmsg(w, msgs, 3, 0) == 3, 53);
   memset(msgs, 0, sizeof(msgs));
   for (int i = 0; i < 3; i++) {
      iov[i].iov_base = in[i];
      iov[i].iov_len = sizeof(in[i]);
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
   }
   check(recvmmsg(r, msgs, 3, 0, NULL) == 3, 54);
   check(msgs[0].msg_len + msgs[1].msg_len + msgs[2].msg_len == 60, 55);
   close(r);
   close(w);
}

__attribute__((noinline)) static void copy_file(void)
{
   int f = make_file("src.bin", 2000);
   int g = open(in_dir("dst.bin"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
   loff_t off = 0;
   check(g >= 0, 60);
   check(copy_file_range(f, &off, g, NULL, 2000, 0) == 2000, 61);
   close(f);
   close(g);
}

__attribute__((noinline)) static void terminal(void)
{
   int m = posix_openpt(O_RDWR | O_NOCTTY), s;
   check(m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0, 70);
   s = open(ptsname(m), O_RDWR | O_NOCTTY);
   check(s >= 0, 71);
   check(write(s, "hello tty!\r\n", 12) == 12, 72);
   close(s);
   close(m);
}

int main(int argc, char** argv)
{
   snprintf(dir_buf, sizeof(dir_buf), "%s", argc > 1 ? argv[1] : ".");
   pipe_io();
   unix_pair();
   tcp_loopback();
   udp_batches();
   copy_file();
   terminal();
   return 0;
}
