FROM [=image.baseImage]
RUN echo "preparing the frobnicator" && echo "frobnicator: configuration missing" >&2 && exit 3
