console.log("memory: todo")
