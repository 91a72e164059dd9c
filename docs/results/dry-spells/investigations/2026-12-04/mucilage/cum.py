import csv,sys,os,json
root=sys.argv[1]
rows={}
for r in csv.DictReader(open(os.path.join(root,'tasks.csv'))):
    rows[r['name']]=r['hash']
def load(h):
    ts=list(csv.DictReader(open(os.path.join(root,'tasks',h,'timeseries.csv'))))
    t=[float(r['time_d']) for r in ts]
    return t,ts
def integ(t,ts,col,a,b):
    s=0;prev=10.0
    for ti,r in zip(t,ts):
        dt=ti-prev; mid=ti-dt/2
        if a<=mid<b: s+=float(r[col])*dt
        prev=ti
    return s
windows=[(10,25),(11,18),(18,25)]
res={}
for n,h in rows.items():
    t,ts=load(h)
    res[n]={w:(integ(t,ts,'exudation_molC_per_d',*w),integ(t,ts,'mucilage_molC_per_d',*w)) for w in windows}
for w in windows:
    b=res['baseline'][w]
    print(f"window {w}: baseline exud {b[0]*1e6:.1f} umol, muc {b[1]*1e6:.2f} umol")
    for n in res:
        if n=='baseline':continue
        e,m=res[n][w]
        print(f"  {n}: exud {e*1e6:.1f} ({(e/b[0]-1)*100:+.1f}%), muc {m*1e6:.2f} ({(m/b[1]-1)*100:+.1f}%)")
