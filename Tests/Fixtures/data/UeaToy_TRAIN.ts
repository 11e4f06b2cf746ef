#Toy UEA-style file with missing values
@problemName UeaToy
@timeStamps false
@missing true
@univariate false
@dimensions 2
@equalLength false
@classLabel true walk run
@data
-0.472,-0.266,-0.413,-0.643,0.749,0.813:-1.413,-1.698,1.44,-0.928,0.568,-1.12:walk
0.421,-1.038,1.104,1.051,-0.239,NaN:0.224,-0.244,0.15,?,?,NaN:run
-2.042,?,-0.652,0.557,NaN,NaN:0.844,0.114,0.239,-0.438,NaN,NaN:walk
0.293,-1.075,-0.162,0.002,0.957,-1.591:1.14,-2.0,0.155,0.583,-1.767,-0.503:run
