// cflags: -O1 -g
/* io_file.c -- file I/O with exactly known counts, in a directory given as
   argv[1]:
   - write_rows: data.txt written in 45 writes of 100 bytes, fsync'd;
   - read_back: read back in 1000-byte reads (5 with data, 1 at EOF), after
     an lseek to the start;
   - vector_io: vec.bin written with one writev (3 buffers, 60 bytes) and
     read with one readv (60 bytes);
   - positional_io: 2 pwrite64 of 10 bytes and 1 pread64 of 20 bytes;
   - bad_fd: a read on a descriptor that is not open (fails, EBADF);
   - reuse: a.txt and b.txt opened one after the other (same descriptor
     number), 7 and 11 bytes written. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static char path_buf[4096];

static const char* in_dir(const char* dir, const char* name)
{
   snprintf(path_buf, sizeof(path_buf), "%s/%s", dir, name);
   return path_buf;
}

__attribute__((noinline)) static void write_rows(int fd)
{
   char row[100];
   memset(row, 'x', sizeof(row));
   row[99] = '\n';
   for (int i = 0; i < 45; i++)
      if (write(fd, row, sizeof(row)) != sizeof(row)) exit(1);
   fsync(fd);
}

__attribute__((noinline)) static long read_back(int fd)
{
   char buf[1000];
   long total = 0;
   ssize_t n;
   lseek(fd, 0, SEEK_SET);
   while ((n = read(fd, buf, sizeof(buf))) > 0) total += n;
   return total;
}

__attribute__((noinline)) static void vector_io(const char* dir)
{
   char a[10] = "aaaaaaaaa", b[20] = "bbbbbbbbbbbbbbbbbbb", c[30] = "ccccccccccccccccccccccccccccc";
   struct iovec out[3] = { { a, 10 }, { b, 20 }, { c, 30 } };
   char back[60];
   struct iovec in[2] = { { back, 25 }, { back + 25, 35 } };
   int fd = open(in_dir(dir, "vec.bin"), O_RDWR | O_CREAT | O_TRUNC, 0644);
   if (writev(fd, out, 3) != 60) exit(2);
   lseek(fd, 0, SEEK_SET);
   if (readv(fd, in, 2) != 60) exit(3);
   close(fd);
}

__attribute__((noinline)) static void positional_io(const char* dir)
{
   char buf[20];
   int fd = open(in_dir(dir, "pos.bin"), O_RDWR | O_CREAT | O_TRUNC, 0644);
   if (pwrite(fd, "0123456789", 10, 0) != 10) exit(4);
   if (pwrite(fd, "abcdefghij", 10, 10) != 10) exit(5);
   if (pread(fd, buf, 20, 0) != 20) exit(6);
   close(fd);
}

__attribute__((noinline)) static void bad_fd(void)
{
   char c;
   if (read(987, &c, 1) != -1) exit(7);
}

__attribute__((noinline)) static void reuse(const char* dir)
{
   int fa = open(in_dir(dir, "a.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
   if (write(fa, "aaaaaa\n", 7) != 7) exit(8);
   close(fa);
   int fb = open(in_dir(dir, "b.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
   if (fb != fa) exit(9);   /* the same descriptor number */
   if (write(fb, "bbbbbbbbbb\n", 11) != 11) exit(10);
   close(fb);
}

int main(int argc, char** argv)
{
   const char* dir = argc > 1 ? argv[1] : ".";
   int fd = open(in_dir(dir, "data.txt"), O_RDWR | O_CREAT | O_TRUNC, 0644);
   if (fd < 0) return 20;
   write_rows(fd);
   if (read_back(fd) != 4500) return 21;
   close(fd);
   vector_io(dir);
   positional_io(dir);
   bad_fd();
   reuse(dir);
   return 0;
}
