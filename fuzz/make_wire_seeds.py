#!/usr/bin/env python3
# Make fuzz/corpus/wire's seeds: SETUP payloads as exec_procs.c encodes them
# (first byte odd), and what a real worker (gantty __worker) writes for them
# (first byte even).  Usage: python3 fuzz/make_wire_seeds.py [GANTTY] in
# fuzz/corpus/wire.
import struct, subprocess, sys, os
G=sys.argv[1] if len(sys.argv) > 1 else 'build/tui/gantty'
def s(x):
    if x is None: return struct.pack('<I',0xffffffff)
    b=x.encode(); return struct.pack('<I',len(b))+b
def step(kind,label,target,arg,fn,gil=0):
    return struct.pack('<I',kind)+s(label)+s(target)+struct.pack('<Q',arg)+s(fn)+struct.pack('<I',gil)
def setup(mode,url,out,timeout,limit,fresh,tasks,direct=1,body_max=64<<20,body_held=256<<20):
    p=struct.pack('<I',4)+s(mode)+s(url)+s(out)+struct.pack('<QIII',timeout,limit,fresh,direct)+struct.pack('<QQ',body_max,body_held)+struct.pack('<Q',len(tasks))
    for name,steps in tasks:
        p+=s(name)+struct.pack('<Q',len(steps))+b''.join(steps)
    return p
def rec(t,p): return struct.pack('<II',t,len(p))+p
os.makedirs('out',exist_ok=True)
# steps: CPU=1 HTTP=2 WRITE=3 APPEND=4 SLEEP=5 LOCK=6 UNLOCK=7; gil: 0 loop, 1 holds, 2 releases
setups={
 'sleep': setup('threads',None,os.path.abspath('out'),1000,0,0,[('nap 0',[step(5,'sleep 2ms',None,2,None)]),('nap 1',[step(5,'sleep 1ms',None,1,None),step(5,'sleep 1ms',None,1,None)])]),
 'cpu': setup('async',None,os.path.abspath('out'),1000,1,1,[('busy',[step(1,'busy',None,300,'spec.busy'),step(3,'write x','x.txt',0,None),step(4,'append y','y.txt',0,None)])]),
 'lock': setup('threads',None,os.path.abspath('out'),1000,0,0,[('locked',[step(6,'lock a','a',0,None),step(1,'holds',None,300,'spec.busy',1),step(1,'releases',None,300,'spec.busy',2),step(7,'unlock a','a',0,None)])]),
 'http': setup('threads','http://127.0.0.1:9',os.path.abspath('out'),200,0,0,[('get',[step(2,'GET /genre','/genre',0,None)])]),
}
for name,p in setups.items():
    open('setup_'+name,'wb').write(b'\x01'+p)
    n=len(p)
    inp=rec(1,p)+b''.join(rec(2,struct.pack('<I',i)) for i in range(2 if name=='sleep' else 1))+rec(4,b'')
    out=subprocess.run([G,'__worker'],input=inp,stdout=subprocess.PIPE,timeout=20).stdout
    open('worker_'+name,'wb').write(b'\x00'+out)
    open('worker_'+name+'_bytes','wb').write(b'\x02'+out)  # read 1 byte at a time
    print(name,len(p),len(out))
# a worker that refuses: ERR record
open('worker_err','wb').write(b'\x00'+rec(7,b'cannot start: no such CPU function'))
