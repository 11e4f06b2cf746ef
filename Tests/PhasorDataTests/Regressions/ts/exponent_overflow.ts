@problemName t
@timeStamps false
@univariate true
@equalLength false
@classLabel true a b
@data
1e999,2:a
1,2:b
