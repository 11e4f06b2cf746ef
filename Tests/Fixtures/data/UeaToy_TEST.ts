#Toy UEA-style file with missing values
@problemName UeaToy
@timeStamps false
@missing true
@univariate false
@dimensions 2
@equalLength false
@classLabel true walk run
@data
0.402,1.562,-0.07,-1.462,-0.387,NaN:-1.263,-0.551,1.443,-1.003,-0.186,NaN:walk
0.645,-0.329,0.434,0.296,NaN,NaN:0.803,0.696,0.164,-0.606,NaN,NaN:run
