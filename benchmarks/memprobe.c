// VM memory-latency probe used in RESULTS.md (f): ns per dependent load over a working set of N MiB
// (a random cyclic permutation, so every load waits for the one before it). It shows when this VM's
// cache/memory side slows down, which a compute-bound probe (SHA-256) does not.
//   gcc -O2 -o /tmp/memprobe benchmarks/memprobe.c && /tmp/memprobe 2 && /tmp/memprobe 16
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(){struct timespec t; clock_gettime(CLOCK_MONOTONIC,&t); return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  size_t mib=argc>1?atol(argv[1]):64, n=mib*1024*1024/sizeof(size_t);
  size_t *a=malloc(n*sizeof(size_t)); size_t *p=malloc(n*sizeof(size_t));
  if(n<2||!a||!p){fprintf(stderr,"usage: memprobe MIB (>= 1)\n"); return 2;}
  for(size_t i=0;i<n;i++) p[i]=i;
  srand(42); for(size_t i=n-1;i>0;i--){size_t j=((size_t)rand()*RAND_MAX+rand())%(i+1); size_t t=p[i];p[i]=p[j];p[j]=t;}
  for(size_t i=0;i<n;i++) a[p[i]]=p[(i+1)%n];
  size_t x=0, steps=20000000; double t=now();
  for(size_t i=0;i<steps;i++) x=a[x];
  double d=now()-t; printf("%.1f\n", d*1e9/steps + (x==12345678901?1:0));
  free(a); free(p);
  return 0;
}
