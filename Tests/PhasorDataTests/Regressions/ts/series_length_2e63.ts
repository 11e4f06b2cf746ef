@problemName t
@univariate true
@equalLength true
@seriesLength 9223372036854775807
@classLabel true a b
@data
1,2:a
