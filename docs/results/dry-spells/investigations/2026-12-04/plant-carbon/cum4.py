import csv,sys,os
root=sys.argv[1]
rows={r['name']:r['hash'] for r in csv.DictReader(open(os.path.join(root,'tasks.csv')))}
cols=[('assimilation_molC_per_d','assim'),('maintenanceRespiration_molC_per_d','Rm'),('growthRespiration_molC_per_d','Rg'),('structuralGrowth_molC_per_d','growth'),('exudation_molC_per_d','exud'),('mucilage_molC_per_d','muc')]
def integ(ts,col,a,b):
    s=0;prev=10.0
    for r in ts:
        ti=float(r['time_d']);dt=ti-prev;mid=ti-dt/2
        if a<=mid<b: s+=float(r[col])*dt
        prev=ti
    return s
wins=[(10,25),(11,18),(18,25)]
res={}
for n,h in rows.items():
    ts=list(csv.DictReader(open(os.path.join(root,'tasks',h,'timeseries.csv'))))
    res[n]={w:{k:integ(ts,c,*w) for c,k in cols} for w in wins}
    for w in wins: res[n][w]['Rtot']=res[n][w]['Rm']+res[n][w]['Rg']
    # daily mean psi leaf in spell windows
    for w in wins:
        v=[float(r['psiLeafOuterMean_cm']) for r in ts if w[0]<float(r['time_d'])<=w[1]]
        res[n][w]['psiLeafMean']=sum(v)/len(v); res[n][w]['psiLeafMin']=min(v)
keys=['assim','Rm','Rg','Rtot','growth','exud','muc']
for w in wins:
    print(f"window {w} (umol C; % vs baseline)")
    b=res['baseline'][w]
    for n in ['baseline','earlyDry','lateDry']:
        if n not in res: continue
        r=res[n][w]
        print(f"  {n:9s} "+"  ".join(f"{k} {r[k]*1e6:8.1f}" + ("" if n=='baseline' else f" ({(r[k]/b[k]-1)*100:+.1f}%)") for k in keys)+f"  psiLeaf mean {r['psiLeafMean']:.0f} min {r['psiLeafMin']:.0f} cm")
